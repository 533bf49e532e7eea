import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be hashed.
public struct FileDigestError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public var description: String { "cannot read \(path) to hash it: \(reason)" }
}

/// SHA-256 of input files (images, weights, labels), memoised so that a warm rebuild does not
/// reread 20–25 MB weight files.
///
/// A file's digest is reused while its path, size, modification time (to the nanosecond),
/// inode and device are unchanged; the memo lives in a small JSON index (normally
/// `.trilobite-cache/file-digests.json`). A file modified in the last two seconds is not
/// memoised: a second edit within the clock's resolution could leave its time unchanged.
///
/// Not thread-safe: hash the inputs of a plan from one thread, then ``save()``.
public final class FileDigester {
    private struct Entry: Codable {
        var path: String
        var identity: FileSystem.Identity
        var sha256: String
    }

    private let indexFile: String?
    private var entries: [String: Entry] = [:]
    private var changed = false
    /// How many files were actually read and hashed (not served from the memo).
    public private(set) var filesHashed = 0

    /// A digester whose memo is stored in `indexFile`; nil keeps no memo.
    public init(indexFile: String?) {
        self.indexFile = indexFile
        guard let indexFile, let data = FileSystem.read(indexFile),
              let decoded = try? JSONDecoder().decode([Entry].self, from: Data(data)) else { return }
        // An unreadable index is only a lost memo: every file is hashed again.
        for entry in decoded { entries[entry.path] = entry }
    }

    /// The hex SHA-256 of the file's bytes.
    public func digest(ofFile path: String) throws(FileDigestError) -> String {
        let absolute = FileSystem.absolute(path)
        guard let before = FileSystem.identity(of: absolute) else {
            throw FileDigestError(path: path, reason: "the file does not exist or cannot be read")
        }
        if let entry = entries[absolute], entry.identity == before {
            return entry.sha256
        }
        let digest = try Self.hash(file: absolute, shownAs: path)
        filesHashed += 1
        // A file that changed while it was read, or was written just now, is not memoised.
        let age = Date().timeIntervalSince1970 - Double(before.modifiedSeconds)
        if FileSystem.identity(of: absolute) == before, age > 2 {
            entries[absolute] = Entry(path: absolute, identity: before, sha256: digest)
            changed = true
        }
        return digest
    }

    /// Writes the memo back (atomically) if it changed. A failure only costs the memo.
    public func save() throws(FileDigestError) {
        guard changed, let indexFile else { return }
        let sorted = entries.values.sorted { $0.path < $1.path }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(sorted)
            try FileSystem.makeFolder((indexFile as NSString).deletingLastPathComponent)
            try FileSystem.writeAtomically([UInt8](data), to: indexFile)
            changed = false
        } catch let failure as FileSystem.Failure {
            throw FileDigestError(path: failure.path, reason: failure.reason)
        } catch {
            throw FileDigestError(path: indexFile, reason: "\(error)")
        }
    }

    /// Reads `path` in 1 MiB pieces into SHA-256.
    static func hash(file path: String, shownAs shownPath: String) throws(FileDigestError) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw FileDigestError(path: shownPath, reason: FileSystem.lastError()) }
        defer { close(descriptor) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileDigestError(path: shownPath, reason: FileSystem.lastError())
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return hex(hasher.finalize())
    }
}

/// Lowercase hex of a digest.
func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var output = [UInt8]()
    for byte in bytes {
        output.append(digits[Int(byte >> 4)])
        output.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: output, as: UTF8.self)
}

/// Hex SHA-256 of bytes.
func sha256Hex(_ bytes: [UInt8]) -> String {
    hex(SHA256.hash(data: bytes))
}

/// Hex SHA-256 of a text's UTF-8.
func sha256Hex(_ text: String) -> String {
    sha256Hex(Array(text.utf8))
}
