import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cache key: the hex SHA-256 of everything a result depends on (see ``RunPlan``).
public struct CacheKey: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// 64 lowercase hex digits.
    public let hex: String

    /// A key from 64 lowercase hex digits; nil for anything else (a key names a folder, so it
    /// must never contain a path separator).
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        self.hex = hex
    }

    /// The SHA-256 of `material`.
    init(hashing material: String) {
        hex = sha256Hex(material)
    }

    public var description: String { hex }

    /// A key for something computed from this key's result and `purpose` (a figure of a job
    /// drawn in one language: `"figure confidence es figures 1"`), so that it is cached beside
    /// the result and changes whenever the result does.
    public func derived(_ purpose: String) -> CacheKey {
        CacheKey(hashing: "trilobite-derived 1\n\(hex)\n\(purpose)")
    }

    /// The first 12 digits, for progress lines.
    public var short: String { String(hex.prefix(12)) }

    public static func < (left: CacheKey, right: CacheKey) -> Bool { left.hex < right.hex }
}

/// A problem writing the cache.
public enum CacheError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A result file name that cannot be stored (empty, hidden, a path, or the manifest's name).
    case invalidFileName(String)
    /// The file system refused a write.
    case unwritable(path: String, reason: String)
    /// No file of that name in the entry.
    case noSuchFile(String)

    public var description: String {
        switch self {
        case .invalidFileName(let name):
            return "cannot store a result file named '\(name)': use a plain name such as 'adversarial.png' "
                + "(letters, digits, '.', '-', '_'; not starting with '.'; not '\(ResultCache.manifestName)')"
        case .unwritable(let path, let reason):
            return "cannot write the result cache at \(path): \(reason); check the folder's permissions and free space"
        case .noSuchFile(let name):
            return "the cached result has no file named '\(name)'"
        }
    }
}

/// A result found in the cache, checked against its manifest.
public struct CachedEntry: Hashable, Sendable {
    public var key: CacheKey
    /// The entry's folder.
    public var folder: String
    /// Every file of the entry, read and verified (size and SHA-256 as the manifest says).
    public var files: [String: [UInt8]]

    /// The bytes of one file.
    public func contents(of name: String) throws(CacheError) -> [UInt8] {
        guard let bytes = files[name] else { throw .noSuchFile(name) }
        return bytes
    }

    /// The path of one file inside the entry's folder.
    public func path(of name: String) -> String? {
        files[name] == nil ? nil : folder + "/" + name
    }
}

/// Computed results on disk, one folder per cache key: `<folder>/<key>/` holds the result files
/// and a `manifest.json` with each file's size and SHA-256.
///
/// - An entry is written into a temporary folder next to the others, every file fsynced, and
///   renamed into place: a reader never sees a half-written entry under its final name.
/// - ``lookup(_:)`` verifies every file against the manifest; a corrupt, truncated or partial
///   entry is removed and reported as missing, so the result is computed again, never trusted.
/// - With `force`, lookups find nothing and every result is recomputed (and stored again).
public struct ResultCache: Sendable {
    /// `.trilobite-cache`, at the project root.
    public static let defaultFolderName = ".trilobite-cache"
    /// The name of the manifest inside an entry.
    public static let manifestName = "manifest.json"
    /// The memo of input file digests kept beside the entries (see ``FileDigester``).
    public var digestIndexFile: String { folder + "/file-digests.json" }

    public let folder: String
    public let force: Bool

    /// A cache in `folder` (created when first written to).
    public init(folder: String, force: Bool = false) {
        self.folder = folder
        self.force = force
    }

    private struct Manifest: Codable {
        struct File: Codable {
            var name: String
            var size: Int
            var sha256: String
        }
        var format: Int
        var key: String
        var files: [File]
    }

    private static let manifestFormat = 1

    /// The verified entry for `key`, or nil when there is none, it is damaged (then it is
    /// removed), or the cache is forced.
    public func lookup(_ key: CacheKey) -> CachedEntry? {
        guard !force else { return nil }
        let entryFolder = folder + "/" + key.hex
        guard FileManager.default.fileExists(atPath: entryFolder) else { return nil }
        guard let entry = verifiedEntry(key, at: entryFolder) else {
            discard(key)
            return nil
        }
        return entry
    }

    private func verifiedEntry(_ key: CacheKey, at entryFolder: String) -> CachedEntry? {
        guard let manifestBytes = FileSystem.read(entryFolder + "/" + Self.manifestName),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(manifestBytes)),
              manifest.format == Self.manifestFormat, manifest.key == key.hex else { return nil }
        var files: [String: [UInt8]] = [:]
        for file in manifest.files {
            guard Self.isValidFileName(file.name), let bytes = FileSystem.read(entryFolder + "/" + file.name),
                  bytes.count == file.size, sha256Hex(bytes) == file.sha256 else { return nil }
            files[file.name] = bytes
        }
        return CachedEntry(key: key, folder: entryFolder, files: files)
    }

    /// Stores `files` (name → bytes) as the entry for `key`, atomically, replacing any entry
    /// already there.
    @discardableResult
    public func store(_ key: CacheKey, files: [String: [UInt8]]) throws(CacheError) -> CachedEntry {
        try store(key, files: files, afterWritingFile: { _ in })
    }

    /// ``store(_:files:)`` with a hook called after each file is written into the temporary
    /// folder (tests use it to check that nothing is visible yet, and to simulate a crash).
    func store(_ key: CacheKey, files: [String: [UInt8]],
               afterWritingFile: (String) throws -> Void) throws(CacheError) -> CachedEntry {
        for name in files.keys where !Self.isValidFileName(name) { throw .invalidFileName(name) }
        let entryFolder = folder + "/" + key.hex
        let temporary = folder + "/.tmp-\(key.short)-\(getpid())-\(UUID().uuidString)"
        do {
            try FileSystem.makeFolder(temporary)
            var manifest = Manifest(format: Self.manifestFormat, key: key.hex, files: [])
            for name in files.keys.sorted() {
                let bytes = files[name] ?? []
                try FileSystem.writeNewFile(bytes, to: temporary + "/" + name)
                manifest.files.append(.init(name: name, size: bytes.count, sha256: sha256Hex(bytes)))
                try afterWritingFile(name)
            }
            // The manifest goes last: an entry without one is incomplete by definition.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try FileSystem.writeNewFile([UInt8](try encoder.encode(manifest)), to: temporary + "/" + Self.manifestName)
            FileSystem.syncFolder(temporary)
            try moveIntoPlace(temporary, entryFolder)
        } catch let failure as FileSystem.Failure {
            FileSystem.remove(temporary)
            throw .unwritable(path: failure.path, reason: failure.reason)
        } catch {
            FileSystem.remove(temporary)
            throw .unwritable(path: entryFolder, reason: "\(error)")
        }
        return CachedEntry(key: key, folder: entryFolder, files: files)
    }

    /// Renames the finished folder to its key. An older entry under that name (damaged, or
    /// written by a concurrent build) is first moved aside, then deleted.
    private func moveIntoPlace(_ temporary: String, _ entryFolder: String) throws(FileSystem.Failure) {
        if rename(temporary, entryFolder) != 0 {
            guard errno == ENOTEMPTY || errno == EEXIST else {
                throw FileSystem.Failure(path: entryFolder, reason: FileSystem.lastError())
            }
            let aside = folder + "/.old-\(UUID().uuidString)"
            guard rename(entryFolder, aside) == 0, rename(temporary, entryFolder) == 0 else {
                throw FileSystem.Failure(path: entryFolder, reason: FileSystem.lastError())
            }
            FileSystem.remove(aside)
        }
        FileSystem.syncFolder(folder)
    }

    /// Removes the entry for `key`, if any.
    public func discard(_ key: CacheKey) {
        let entryFolder = folder + "/" + key.hex
        // Renamed first so that a half-deleted entry never sits under its key.
        let aside = folder + "/.old-\(UUID().uuidString)"
        if rename(entryFolder, aside) == 0 { FileSystem.remove(aside) }
    }

    /// Removes temporary folders left by builds that were killed while storing: those of a
    /// process that has ended at once, the others once they are older than `age` seconds (younger
    /// ones may belong to a build still running).
    ///
    /// Temporary names carry the writing process's id: `.tmp-<key>-<pid>-…` for entries being
    /// stored, `.tmp-work-<pid>-…` for a runner's scratch files.
    public func removeLeftovers(olderThan age: TimeInterval = 3600) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let now = Date().timeIntervalSince1970
        for name in names where name.hasPrefix(".tmp-") || name.hasPrefix(".old-") {
            let path = folder + "/" + name
            if let pid = Self.writerProcess(of: name), pid != getpid(), !Self.processIsAlive(pid) {
                FileSystem.remove(path)
            } else if let identity = FileSystem.identity(of: path), now - Double(identity.modifiedSeconds) > age {
                FileSystem.remove(path)
            }
        }
    }

    /// The process id in a temporary folder's name, if it has one.
    static func writerProcess(of name: String) -> Int32? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        // .tmp-<key>-<pid>-<uuid…> and .tmp-work-<pid>-<worker>-<uuid…>
        guard parts.count >= 3, parts[0] == ".tmp" else { return nil }
        return Int32(parts[2])
    }

    static func processIsAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    static func isValidFileName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("."), name != manifestName, name.utf8.count <= 200 else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
    }
}
