#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What identifies one version of a file for the watcher: a change in any field is a change.
public struct FileStamp: Sendable, Hashable {
    public var size: Int64
    public var modifiedNanoseconds: Int64
    public var inode: UInt64

    init(_ status: stat) {
        size = Int64(status.st_size)
        modifiedNanoseconds = Self.modifiedNanoseconds(status)
        inode = UInt64(status.st_ino)
    }

    static func modifiedNanoseconds(_ status: stat) -> Int64 {
        #if canImport(Darwin)
        return Int64(status.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(status.st_mtimespec.tv_nsec)
        #else
        return Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        #endif
    }
}

/// The state of the watched files at one moment: each regular file by path, with its stamp.
///
/// Watched paths may be files or folders (walked recursively, symlinked folders not followed);
/// hidden names and editor leftovers (`.x.swp`, `x~`) are skipped, and so is everything under
/// the `excluded` folders (the served site, which every rebuild rewrites).
struct WatchSnapshot: Sendable, Equatable {
    /// The paths asked for, as given.
    var roots: [String]
    /// Every regular file found, by path.
    var files: [String: FileStamp]

    /// At most this many files are looked at, so a mistaken root (`/`) cannot stall the server.
    static let fileLimit = 20_000

    /// Stats every file under `roots` now.
    static func take(roots: [String], excluding excluded: [String] = []) -> WatchSnapshot {
        var files: [String: FileStamp] = [:]
        var pending = roots.map { ($0, true) }  // (path, given explicitly)
        while let (path, explicit) = pending.popLast(), files.count < fileLimit {
            if excluded.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            if (status.st_mode & S_IFMT) == S_IFLNK {
                // A symlink given explicitly is followed once (to a file); found in a walk, only if it is a file.
                guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG || explicit else { continue }
            }
            switch status.st_mode & S_IFMT {
            case S_IFREG:
                files[path] = FileStamp(status)
            case S_IFDIR:
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { continue }
                for name in names where !isIgnored(name) {
                    pending.append((path.hasSuffix("/") ? path + name : path + "/" + name, false))
                }
            default:
                continue
            }
        }
        return WatchSnapshot(roots: roots, files: files)
    }

    /// Hidden files and the temporary files editors leave while saving.
    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".tmp")
            || name == "4913"  // vim's probe file
    }

    /// Paths added, removed or changed since `earlier`, sorted. When the caller's list itself
    /// changed, files under the roots it gained or lost are not changes: they only start or stop
    /// being watched.
    func changes(since earlier: WatchSnapshot) -> [String] {
        let added = Set(roots).subtracting(earlier.roots)
        let dropped = Set(earlier.roots).subtracting(roots)
        func isUnder(_ roots: Set<String>, _ path: String) -> Bool {
            roots.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        }
        var changed: [String] = []
        for (path, stamp) in files where earlier.files[path] != stamp {
            if earlier.files[path] == nil, isUnder(added, path) { continue }
            changed.append(path)
        }
        for path in earlier.files.keys where files[path] == nil && !isUnder(dropped, path) {
            changed.append(path)
        }
        return changed.sorted()
    }
}
