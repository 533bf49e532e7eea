import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX helpers for writes that survive a crash: data is flushed with fsync before it is
/// renamed into place, and the folder is flushed after the rename, so a reader sees either the
/// old file or the complete new one.
enum FileSystem {
    struct Failure: Error {
        var path: String
        var reason: String
    }

    /// The text of the current `errno`.
    static func lastError() -> String {
        String(cString: strerror(errno))
    }

    /// Writes `bytes` to a new file at `path` (which must not exist) and flushes it to disk.
    static func writeNewFile(_ bytes: [UInt8], to path: String) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw Failure(path: path, reason: lastError()) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: lastError())
            }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw Failure(path: path, reason: lastError()) }
    }

    /// Flushes a folder's entries (new names, renames) to disk.
    static func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Replaces the file at `path` with `bytes` atomically: a temporary file in the same folder,
    /// fsync, rename, fsync of the folder.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = folder + "/.\((path as NSString).lastPathComponent).\(getpid()).\(UUID().uuidString).tmp"
        do {
            try writeNewFile(bytes, to: temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = lastError()
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
        syncFolder(folder.isEmpty ? "." : folder)
    }

    /// Creates `path` and its parents.
    static func makeFolder(_ path: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Failure(path: path, reason: error.localizedDescription)
        }
    }

    /// Removes a file or folder tree; missing paths are fine.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Reads a whole file.
    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    /// Size, modification time, inode and device of a file: what changes when its bytes do.
    struct Identity: Codable, Hashable {
        var size: Int64
        var modifiedSeconds: Int64
        var modifiedNanoseconds: Int64
        var inode: UInt64
        var device: UInt64
    }

    static func identity(of path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return Identity(size: Int64(info.st_size), modifiedSeconds: Int64(modified.tv_sec),
                        modifiedNanoseconds: Int64(modified.tv_nsec), inode: UInt64(info.st_ino),
                        device: UInt64(info.st_dev))
    }

    /// `path` made absolute against the current folder, with `.` and `..` resolved.
    static func absolute(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }
}
