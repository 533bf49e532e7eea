#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FlyingSocks
import Foundation

/// The address the server listens on: an IPv4 or IPv6 literal (or `localhost`) and a port.
///
/// Loopback (127.0.0.0/8, ::1) is the default; anything else is reachable from other machines,
/// which callers must ask for explicitly and warn about (see ``isLoopback``).
public struct BindAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host as an address literal: `localhost` becomes `127.0.0.1`.
    public let host: String
    /// The port; 0 lets the system pick a free one (the server reports the one it got).
    public let port: UInt16
    /// The 4 or 16 address bytes.
    let bytes: [UInt8]

    /// The default: 127.0.0.1 port 8000.
    public static let loopback = BindAddress(validatedHost: "127.0.0.1", port: 8000, bytes: [127, 0, 0, 1])

    /// Parses `host` (an IPv4 or IPv6 literal, brackets allowed, or `localhost`).
    public init(host: String, port: UInt16) throws(ServerError) {
        var literal = host.trimmingCharacters(in: .whitespaces)
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        if literal.lowercased() == "localhost" { literal = "127.0.0.1" }
        if let v4 = Self.parse(literal, family: AF_INET, size: 4) {
            self.init(validatedHost: literal, port: port, bytes: v4)
        } else if let v6 = Self.parse(literal, family: AF_INET6, size: 16) {
            self.init(validatedHost: literal, port: port, bytes: v6)
        } else {
            throw .invalidHost(host)
        }
    }

    private init(validatedHost: String, port: UInt16, bytes: [UInt8]) {
        self.host = validatedHost
        self.port = port
        self.bytes = bytes
    }

    /// True for IPv6 addresses.
    public var isIPv6: Bool { bytes.count == 16 }

    /// True when only this machine can connect: 127.0.0.0/8, ::1, or ::ffff:127.x.y.z.
    public var isLoopback: Bool {
        if bytes.count == 4 { return bytes[0] == 127 }
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
        if Array(bytes[0..<12]) == mappedPrefix { return bytes[12] == 127 }
        return bytes == Array(repeating: 0, count: 15) + [1]
    }

    /// The same host with another port.
    public func with(port: UInt16) -> BindAddress {
        BindAddress(validatedHost: host, port: port, bytes: bytes)
    }

    /// `host:port`, with brackets around IPv6 hosts, as in a URL.
    public var description: String { "\(urlHost):\(port)" }

    /// The host as written in a URL: IPv6 in brackets.
    public var urlHost: String { isIPv6 ? "[\(host)]" : host }

    /// The socket address FlyingFox binds.
    func socketAddress() throws(ServerError) -> any SocketAddress {
        do {
            if isIPv6 { return try sockaddr_in6.inet6(ip6: host, port: port) }
            return try sockaddr_in.inet(ip4: host, port: port)
        } catch {
            throw .invalidHost(host)
        }
    }

    private static func parse(_ literal: String, family: Int32, size: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let status = buffer.withUnsafeMutableBytes { inet_pton(family, literal, $0.baseAddress) }
        return status == 1 ? Array(buffer.prefix(size)) : nil
    }
}
