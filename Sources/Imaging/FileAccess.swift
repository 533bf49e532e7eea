#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes with error messages that say what went wrong.
enum FileAccess {
    static func readAll(path: String) throws(ImageError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .fileUnreadable(path: path, reason: explain(errno))
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .fileUnreadable(path: path, reason: explain(errno))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw .fileUnreadable(path: path, reason: "it is a folder, not a file")
        }

        var bytes: [UInt8] = []
        if (status.st_mode & S_IFMT) == S_IFREG {
            bytes.reserveCapacity(Int(status.st_size))
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fileUnreadable(path: path, reason: explain(errno))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes into a temporary file beside the destination, then renames it over the
    /// destination, so readers never see a half-written image, even if we are killed.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ImageError) {
        let (folder, fileName) = split(path)
        guard !fileName.isEmpty else {
            throw .fileUnwritable(path: path, reason: "the path names a folder, not a file")
        }
        var attemptsLeft = 8
        while true {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let temporaryPath = folder + "." + fileName + ".tmp-" + suffix
            // 0o644 before the umask, the same as any newly created file.
            let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor < 0 {
                let code = errno
                if code == EEXIST && attemptsLeft > 0 {
                    attemptsLeft -= 1
                    continue
                }
                throw .fileUnwritable(path: path, reason: explain(code))
            }
            do throws(ImageError) {
                try writeAll(bytes, to: descriptor, path: path)
                // Without fsync a crash soon after the rename could leave an empty file.
                if fsync(descriptor) != 0 {
                    throw ImageError.fileUnwritable(path: path, reason: explain(errno))
                }
                if close(descriptor) != 0 {
                    throw ImageError.fileUnwritable(path: path, reason: explain(errno))
                }
            } catch {
                close(descriptor)
                unlink(temporaryPath)
                throw error
            }
            if rename(temporaryPath, path) != 0 {
                let code = errno
                unlink(temporaryPath)
                throw .fileUnwritable(path: path, reason: explain(code))
            }
            return
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(ImageError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let start = buffer.baseAddress else { return 0 }
                return write(descriptor, start + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fileUnwritable(path: path, reason: explain(errno))
            }
            written += count
        }
    }

    /// The folder part (with its trailing slash, or empty for the current folder) and the
    /// file name.
    private static func split(_ path: String) -> (folder: String, fileName: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    private static func explain(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or folder"
        case EACCES: return "permission denied"
        case EISDIR: return "it is a folder, not a file"
        case ENOSPC: return "the disk is full"
        default: return String(cString: strerror(code))
        }
    }
}
