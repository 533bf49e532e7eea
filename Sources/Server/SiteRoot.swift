#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The served folder: maps request paths to regular files that really live inside it.
///
/// Every candidate is resolved with `realpath` (all symlinks followed) and must still lie under
/// the root's own real path, so a symlink in the site pointing elsewhere is refused. The root's
/// real path is resolved again for every request: builds swap a new site folder into place.
struct SiteRoot: Sendable {
    /// The root as configured.
    let path: String
    /// The root's real path when the server started.
    let realPath: String

    /// What a request path names.
    enum Lookup: Hashable, Sendable {
        /// A regular file inside the root, by its real path.
        case file(String)
        /// A folder requested without its trailing slash: redirect to `path/`.
        case folderWithoutSlash
        /// Nothing (or nothing servable) there.
        case notFound
        /// The path resolves outside the root.
        case outsideRoot
    }

    /// Checks that `path` is an existing folder and remembers its real path.
    init(path: String) throws(ServerError) {
        var status = stat()
        guard stat(path, &status) == 0 else { throw .rootMissing(path: path) }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { throw .rootNotAFolder(path: path) }
        guard let real = Self.realPath(of: path) else { throw .rootMissing(path: path) }
        self.path = path
        realPath = real
    }

    /// Finds the file for a parsed request path: `/` and `dir/` mean their `index.html`.
    func lookup(_ request: RequestPath) -> Lookup {
        // Between a build's two renames the root is briefly absent: that is a 404, not an error.
        guard let rootNow = Self.realPath(of: path) else { return .notFound }
        let candidate = ([rootNow == "/" ? "" : rootNow] + request.segments).joined(separator: "/")
        guard let real = Self.realPath(of: candidate) else { return .notFound }
        guard Self.contains(real, in: rootNow) else { return .outsideRoot }
        var status = stat()
        guard stat(real, &status) == 0 else { return .notFound }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            guard request.namesFolder else { return .folderWithoutSlash }
            guard let index = Self.realPath(of: real + "/index.html") else { return .notFound }
            guard Self.contains(index, in: rootNow) else { return .outsideRoot }
            return Self.isRegularFile(index) ? .file(index) : .notFound
        case S_IFREG:
            return request.namesFolder ? .notFound : .file(real)
        default:
            return .notFound  // FIFOs, devices, sockets: never opened
        }
    }

    /// True when `real` (already resolved) is `root` or lies under it.
    static func contains(_ real: String, in root: String) -> Bool {
        real == root || real.hasPrefix(root == "/" ? "/" : root + "/")
    }

    static func realPath(of path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }
}

/// A file read whole, with the identity its `ETag` is made from.
struct LoadedFile: Sendable {
    var bytes: [UInt8]
    var size: Int64
    var modifiedNanoseconds: Int64
    var inode: UInt64

    /// Why a file could not be read.
    enum Failure: Error { case unreadable, notRegular }

    /// Reads a regular file; size and times come from the open descriptor, so they match the bytes.
    static func read(_ path: String) throws(Failure) -> LoadedFile {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .unreadable }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .notRegular }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return readSome(descriptor, base + filled, buffer.count - filled)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }  // the file shrank while being read: serve what is there
            filled += count
        }
        if filled < bytes.count { bytes.removeLast(bytes.count - filled) }
        return LoadedFile(bytes: bytes, size: Int64(status.st_size),
                          modifiedNanoseconds: FileStamp.modifiedNanoseconds(status), inode: UInt64(status.st_ino))
    }

    /// A strong validator from inode, size and modification time (hex); a suffix marks variants.
    func entityTag(variant: String = "") -> String {
        "\"\(String(inode, radix: 16))-\(String(size, radix: 16))-\(String(modifiedNanoseconds, radix: 16))\(variant)\""
    }
}

/// `read(2)`, named apart from `LoadedFile.read`.
private func readSome(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
