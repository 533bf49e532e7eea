import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem writing the site, with what to do about it.
public enum SiteWriteError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The output folder exists but was not written by trilobite: replacing it could destroy work.
    case notASite(String)
    /// The output folder is the lessons folder or contains it.
    case overlapsLessons(output: String, lessons: String)
    case fileSystem(path: String, reason: String)
    /// A test stopped the writer halfway.
    case interrupted(String)

    public var description: String {
        switch self {
        case .notASite(let path):
            return "\(path) exists and was not written by trilobite build (it has no .trilobite-site file); "
                + "the build replaces its output folder as a whole, so choose another --out or remove \(path)"
        case .overlapsLessons(let output, let lessons):
            return "the output folder \(output) would contain the lessons folder \(lessons); choose another --out"
        case .fileSystem(let path, let reason):
            return "cannot write the site at \(path): \(reason); check the folder's permissions and free space"
        case .interrupted(let reason):
            return "the site writer stopped: \(reason)"
        }
    }
}

/// What a write changed.
public struct SiteWriteReport: Sendable, Equatable {
    /// Files written with new contents (new or changed), sorted.
    public var written: [String]
    /// Files carried over unchanged from the previous site (hard links: same inode, same mtime).
    public var unchanged: Int
    /// Files of the previous site that the new one no longer has.
    public var removed: [String]

    /// Whether the site folder was left exactly as it was.
    public var nothingChanged: Bool { written.isEmpty && removed.isEmpty }
}

/// Writes a whole site so that a reader (or the next build) always finds either the previous
/// site or the new one, complete:
///
/// 1. The new site is assembled in a temporary folder next to the output (`.site.building-<pid>-…`):
///    files whose bytes did not change are hard-linked from the current site (so they keep their
///    modification time), new or changed files are written and flushed to disk.
/// 2. The current site is renamed aside (`.site.previous-<pid>-…`), the new one renamed into place,
///    the old one deleted. Renames within one folder are atomic.
/// 3. When nothing changed at all, nothing is written: the folder is left as it is.
///
/// A build killed at any point leaves the previous site in place (or, between the two renames,
/// aside under `.site.previous-…`); ``recover()`` at the next start puts it back and removes the
/// leftovers of builds whose process is gone.
public struct SiteWriter: Sendable {
    /// The site folder.
    public let output: String

    public init(output: String) {
        self.output = (output as NSString).standardizingPath
    }

    private var parent: String {
        let folder = (output as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    private var name: String { (output as NSString).lastPathComponent }
    private var buildingPrefix: String { ".\(name).building-" }
    private var previousPrefix: String { ".\(name).previous-" }

    /// Refuses an output folder that is not a site of ours, or that holds the lessons.
    public func checkOutput(lessonsFolder: String) throws(SiteWriteError) {
        let lessons = (lessonsFolder as NSString).standardizingPath
        let absoluteOutput = Self.absolute(output)
        let absoluteLessons = Self.absolute(lessons)
        if absoluteLessons == absoluteOutput || absoluteLessons.hasPrefix(absoluteOutput + "/") || absoluteOutput == "/" {
            throw .overlapsLessons(output: output, lessons: lessonsFolder)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: output, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw .notASite(output) }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        if !contents.isEmpty, !contents.contains(SitePages.markerFile) { throw .notASite(output) }
    }

    /// Cleans up after builds that were killed: puts a site that was moved aside back when the
    /// output folder is missing, and removes temporary folders whose process has ended.
    /// Returns a note per folder acted on.
    @discardableResult
    public func recover() -> [String] {
        var notes: [String] = []
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).sorted()
        for entry in entries where entry.hasPrefix(buildingPrefix) || entry.hasPrefix(previousPrefix) {
            let isBuilding = entry.hasPrefix(buildingPrefix)
            let rest = entry.dropFirst(isBuilding ? buildingPrefix.count : previousPrefix.count)
            if let pid = Int32(rest.prefix { $0 != "-" }), pid != getpid(), Self.processIsAlive(pid) { continue }
            let path = parent + "/" + entry
            if !isBuilding, !FileManager.default.fileExists(atPath: output), rename(path, output) == 0 {
                notes.append("restored the previous site from \(path) (a build was stopped while swapping it)")
                continue
            }
            try? FileManager.default.removeItem(atPath: path)
            notes.append("removed \(path), left by a stopped build")
        }
        return notes
    }

    /// Writes `files` as the whole new site (see the type's documentation).
    ///
    /// - Parameter afterWritingFile: called after each file is placed in the temporary folder;
    ///   tests throw from it to simulate a build that dies halfway.
    @discardableResult
    public func write(_ files: SiteFiles, afterWritingFile: (String) throws -> Void = { _ in })
        throws(SiteWriteError) -> SiteWriteReport {
        let existing = Self.listFiles(in: output)
        var written: [String] = []
        var unchanged: Set<String> = []
        for (path, bytes) in files {
            if existing.contains(path), Self.contents(of: output + "/" + path, equal: bytes) {
                unchanged.insert(path)
            } else {
                written.append(path)
            }
        }
        let removed = existing.subtracting(files.keys).sorted()
        let report = SiteWriteReport(written: written.sorted(), unchanged: unchanged.count, removed: removed)
        if report.nothingChanged, FileManager.default.fileExists(atPath: output) { return report }

        let temporary = parent + "/" + buildingPrefix + "\(getpid())-\(UUID().uuidString)"
        do {
            try makeFolder(temporary)
            var madeFolders: Set<String> = [""]
            for path in files.keys.sorted() {
                let folder = (path as NSString).deletingLastPathComponent
                if !madeFolders.contains(folder) {
                    try makeFolder(temporary + "/" + folder)
                    madeFolders.insert(folder)
                }
                let destination = temporary + "/" + path
                if unchanged.contains(path), link(output + "/" + path, destination) == 0 {
                    // Linked: same bytes, same modification time.
                } else {
                    try Self.writeNewFile(files[path] ?? [], to: destination)
                }
                do {
                    try afterWritingFile(path)
                } catch {
                    throw SiteWriteError.interrupted("\(error)")
                }
            }
            Self.syncFolder(temporary)
            try swapIntoPlace(temporary)
        } catch let error as SiteWriteError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .fileSystem(path: temporary, reason: "\(error)")
        }
        return report
    }

    /// Moves the current site aside, the new one into place, and deletes the old one.
    private func swapIntoPlace(_ temporary: String) throws(SiteWriteError) {
        let previous = parent + "/" + previousPrefix + "\(getpid())-\(UUID().uuidString)"
        let hadSite = FileManager.default.fileExists(atPath: output)
        if hadSite, rename(output, previous) != 0 {
            throw .fileSystem(path: output, reason: Self.lastError())
        }
        guard rename(temporary, output) == 0 else {
            let reason = Self.lastError()
            // Put the previous site back rather than leave no site at all.
            if hadSite { _ = rename(previous, output) }
            throw .fileSystem(path: output, reason: reason)
        }
        Self.syncFolder(parent)
        if hadSite { try? FileManager.default.removeItem(atPath: previous) }
    }

    // MARK: File system

    private func makeFolder(_ path: String) throws(SiteWriteError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: path, reason: error.localizedDescription)
        }
    }

    /// Relative paths of the regular files under `folder` (hidden files included).
    static func listFiles(in folder: String) -> Set<String> {
        var files: Set<String> = []
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return files }
        while let relative = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue {
                files.insert(relative)
            }
        }
        return files
    }

    /// Whether the file at `path` holds exactly `bytes` (sizes first, so most changes cost no read).
    static func contents(of path: String, equal bytes: [UInt8]) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber, size.intValue == bytes.count,
              let data = FileManager.default.contents(atPath: path) else { return false }
        return data.elementsEqual(bytes)
    }

    /// Writes a new file and flushes it to disk before it can be renamed into view.
    static func writeNewFile(_ bytes: [UInt8], to path: String) throws(SiteWriteError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw .fileSystem(path: path, reason: lastError()) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                writeBytes(descriptor, buffer.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fileSystem(path: path, reason: lastError())
            }
            offset += count
        }
        guard fsync(descriptor) == 0 else { throw .fileSystem(path: path, reason: lastError()) }
    }

    static func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func processIsAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    static func lastError() -> String { String(cString: strerror(errno)) }

    static func absolute(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }
}

/// POSIX `write`, named apart from ``SiteWriter/write(_:afterWritingFile:)``.
private func writeBytes(_ descriptor: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, pointer, count)
}
