import Foundation
import Testing
@testable import Lessons

@Suite struct ResultCacheTests {
    let folder: LessonFolder
    let cache: ResultCache
    let key = CacheKey(hashing: "a job")
    let files: [String: [UInt8]] = [
        "adversarial.png": Array(repeating: 42, count: 5000),
        "result.json": Array("{\"steps\": 12}".utf8),
    ]

    init() throws {
        folder = try LessonFolder()
        cache = ResultCache(folder: folder.base + "/.trilobite-cache")
    }

    var entryFolder: String { cache.folder + "/" + key.hex }

    @Test func storedEntryIsFoundAndVerified() throws {
        #expect(cache.lookup(key) == nil)
        try cache.store(key, files: files)
        let entry = try #require(cache.lookup(key))
        #expect(entry.files == files)
        #expect(try entry.contents(of: "result.json") == files["result.json"])
        #expect(entry.path(of: "adversarial.png") == entryFolder + "/adversarial.png")
        #expect(throws: CacheError.noSuchFile("missing.png")) { try entry.contents(of: "missing.png") }
    }

    @Test func flippedByteIsDetectedAndTheEntryDiscarded() throws {
        try cache.store(key, files: files)
        let path = entryFolder + "/adversarial.png"
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[1234] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(cache.lookup(key) == nil)
        #expect(!FileManager.default.fileExists(atPath: entryFolder))
    }

    @Test func truncatedFileIsDetected() throws {
        try cache.store(key, files: files)
        let handle = try #require(FileHandle(forUpdatingAtPath: entryFolder + "/adversarial.png"))
        try handle.truncate(atOffset: 100)
        try handle.close()
        #expect(cache.lookup(key) == nil)
    }

    @Test func entryWithoutManifestIsIncomplete() throws {
        try cache.store(key, files: files)
        try FileManager.default.removeItem(atPath: entryFolder + "/" + ResultCache.manifestName)
        #expect(cache.lookup(key) == nil)
    }

    @Test func corruptManifestOrEntryUnderAnotherKeyIsRejected() throws {
        try cache.store(key, files: files)
        let other = CacheKey(hashing: "another job")
        try FileManager.default.copyItem(atPath: entryFolder, toPath: cache.folder + "/" + other.hex)
        #expect(cache.lookup(other) == nil)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: entryFolder + "/" + ResultCache.manifestName))
        #expect(cache.lookup(key) == nil)
    }

    @Test func storeIsAtomicNothingAppearsUnderTheKeyUntilItIsComplete() throws {
        struct SimulatedCrash: Error {}
        var written: [String] = []
        #expect(throws: CacheError.self) {
            try cache.store(key, files: files) { name in
                written.append(name)
                // Mid-write: the final name does not exist and a lookup finds nothing.
                #expect(!FileManager.default.fileExists(atPath: entryFolder))
                #expect(cache.lookup(key) == nil)
                if written.count == 2 { throw SimulatedCrash() }
            }
        }
        #expect(written == ["adversarial.png", "result.json"])
        #expect(cache.lookup(key) == nil)
        // The failed write cleaned up its temporary folder.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cache.folder)
        #expect(leftovers == [])
        // A later store succeeds.
        try cache.store(key, files: files)
        #expect(cache.lookup(key)?.files == files)
    }

    @Test func storeReplacesAnExistingEntry() throws {
        try cache.store(key, files: files)
        try cache.store(key, files: ["result.json": Array("{}".utf8)])
        #expect(cache.lookup(key)?.files == ["result.json": Array("{}".utf8)])
    }

    @Test func forceIgnoresStoredEntries() throws {
        try cache.store(key, files: files)
        let forced = ResultCache(folder: cache.folder, force: true)
        #expect(forced.lookup(key) == nil)
        #expect(cache.lookup(key) != nil)
    }

    @Test func fileNamesThatAreNotPlainNamesAreRefused() {
        for name in ["../escape.png", "a/b.png", ".hidden", "", ResultCache.manifestName] {
            #expect(throws: CacheError.invalidFileName(name)) { try cache.store(key, files: [name: [1]]) }
        }
        #expect(CacheKey(hex: "../../etc") == nil)
        #expect(CacheKey(hex: key.hex) == key)
    }

    @Test func leftoversOfKilledBuildsAreRemoved() throws {
        let leftover = cache.folder + "/.tmp-0123-99-abc"
        try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: true)
        try cache.store(key, files: files)
        cache.removeLeftovers(olderThan: -1)
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(cache.lookup(key) != nil)
    }
}
