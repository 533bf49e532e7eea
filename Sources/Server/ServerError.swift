/// Why the site server could not start. Each message says what to do about it.
public enum ServerError: Error, Hashable, CustomStringConvertible {
    /// The folder to serve does not exist.
    case rootMissing(path: String)
    /// The path to serve exists but is not a folder.
    case rootNotAFolder(path: String)
    /// The host is neither an IPv4 nor an IPv6 address (nor `localhost`).
    case invalidHost(String)
    /// Another program already listens on this address and port.
    case portInUse(host: String, port: UInt16)
    /// The system refused the port (ports below 1024 need privileges).
    case permissionDenied(host: String, port: UInt16)
    /// Binding or listening failed for another reason.
    case listenFailed(host: String, port: UInt16, reason: String)
    /// `start()` was called on a server that is already running or was stopped.
    case alreadyStarted

    public var description: String {
        switch self {
        case .rootMissing(let path):
            return "nothing to serve: '\(path)' does not exist; run `trilobite build` first or pass the site folder"
        case .rootNotAFolder(let path):
            return "cannot serve '\(path)': it is not a folder; pass the folder `trilobite build` writes (site/)"
        case .invalidHost(let host):
            return "'\(host)' is not an IP address; use 127.0.0.1 (the default), ::1, or an address of this machine"
        case .portInUse(let host, let port):
            return "port \(port) on \(host) is already in use; stop the other server or pass another port, e.g. --port \(port == UInt16.max ? 8001 : port + 1)"
        case .permissionDenied(let host, let port):
            return "not allowed to listen on \(host) port \(port); ports below 1024 need privileges, use e.g. --port 8000"
        case .listenFailed(let host, let port, let reason):
            return "could not listen on \(host) port \(port): \(reason)"
        case .alreadyStarted:
            return "this server was already started; make a new SiteServer to serve again"
        }
    }
}
