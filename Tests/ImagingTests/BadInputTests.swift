import Foundation
import Testing
@testable import Imaging

/// Bad files must give a typed error whose message names the file, never a crash.
@Suite struct BadInputTests {
    /// Decodes and returns the error, checking on the way that its message names the file.
    private func decodingError(_ bytes: [UInt8], name: String, maxPixels: Int = 100_000_000,
                               sourceLocation: SourceLocation = #_sourceLocation) -> ImageError? {
        do {
            let image = try ImageCodec.decode(bytes, name: name, maxPixels: maxPixels)
            Issue.record("decoded a \(image.width)×\(image.height) image from bad data", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.description.contains(name), "message does not name the file: \(error)", sourceLocation: sourceLocation)
            return error
        }
    }

    @Test func missingFile() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = folder.file("no-such-photo.jpg")
        do {
            _ = try ImageCodec.read(contentsOf: path)
            Issue.record("read a file that does not exist")
        } catch {
            #expect(error == .fileUnreadable(path: path, reason: "no such file or folder"))
            #expect(error.description.contains(path))
        }
    }

    @Test func folderInsteadOfFile() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        #expect(throws: ImageError.fileUnreadable(path: folder.path, reason: "it is a folder, not a file")) {
            try ImageCodec.read(contentsOf: folder.path)
        }
    }

    @Test func textIsNotAnImage() {
        let error = decodingError(Array("Hello, this is a text file.\n".utf8), name: "notes.txt")
        guard case .unrecognizedFormat(let name, let detail)? = error else {
            Issue.record("expected unrecognizedFormat, got \(String(describing: error))")
            return
        }
        #expect(name == "notes.txt")
        #expect(detail.contains("48 65 6C 6C"))
    }

    @Test func emptyFileIsNotAnImage() {
        #expect(decodingError([], name: "empty.png") == .unrecognizedFormat(name: "empty.png", detail: "the file is empty"))
    }

    @Test func otherFormatsAreNamed() {
        let gif = Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 20)
        #expect(decodingError(gif, name: "anim.gif") == .unrecognizedFormat(name: "anim.gif", detail: "it looks like a GIF file"))
    }

    @Test(arguments: [16, 33, 60, 200, 1000, 2000])
    func truncatedPNG(keptBytes: Int) throws {
        let whole = try Fixture.bytes("rgb8.png")
        try #require(keptBytes < whole.count)
        #expect(decodingError(Array(whole.prefix(keptBytes)), name: "cut.png") == .truncated(name: "cut.png", format: .png))
    }

    @Test(arguments: ["baseline420.jpg", "progressive.jpg", "grey.jpg"], [0.1, 0.5, 0.95])
    func truncatedJPEG(fixture: String, keptFraction: Double) throws {
        let whole = try Fixture.bytes(fixture)
        let kept = Array(whole.prefix(Int(Double(whole.count) * keptFraction)))
        #expect(decodingError(kept, name: "cut.jpg") == .truncated(name: "cut.jpg", format: .jpeg))
    }

    @Test func zeroSizedPNGHeader() {
        for (width, height) in [(0, 0), (0, 5), (5, 0)] as [(UInt32, UInt32)] {
            let png = PNGBytes.signature + PNGBytes.header(width: width, height: height)
                + PNGBytes.chunk("IDAT", []) + PNGBytes.chunk("IEND", [])
            #expect(decodingError(png, name: "empty.png") == .emptyImage(name: "empty.png", width: Int(width), height: Int(height)))
        }
    }

    /// 10^10 pixels would need 30 GB; the header alone must be enough to refuse it.
    @Test(.timeLimit(.minutes(1)))
    func hugePNGHeaderIsRefusedBeforeAllocating() {
        let png = PNGBytes.signature + PNGBytes.header(width: 100_000, height: 100_000)
            + PNGBytes.chunk("IDAT", [0x78, 0x9C]) + PNGBytes.chunk("IEND", [])
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(decodingError(png, name: "huge.png") == .tooLarge(name: "huge.png", width: 100_000, height: 100_000, maxPixels: 100_000_000))
        }
        #expect(elapsed < .seconds(1))
    }

    @Test func pixelLimitIsEnforcedForBothFormats() throws {
        #expect(decodingError(try Fixture.bytes("rgb8.png"), name: "rgb8.png", maxPixels: 37 * 23 - 1)
            == .tooLarge(name: "rgb8.png", width: 37, height: 23, maxPixels: 37 * 23 - 1))
        #expect(decodingError(try Fixture.bytes("progressive.jpg"), name: "big.jpg", maxPixels: 1000)
            == .tooLarge(name: "big.jpg", width: 53, height: 35, maxPixels: 1000))
    }

    @Test func sideLongerThanLimitIsRefused() {
        let png = PNGBytes.signature + PNGBytes.header(width: 70_000, height: 1) + PNGBytes.chunk("IEND", [])
        let error = decodingError(png, name: "strip.png")
        #expect(error == .tooLarge(name: "strip.png", width: 70_000, height: 1, maxPixels: 100_000_000))
        #expect(error?.description.contains("65535") == true)
    }

    /// Flipped bytes inside IDAT, CRC left as it was. libpng checks the chunk CRC only at the
    /// end of the chunk, so zlib's own checks usually fire first; either way it is "corrupt".
    @Test func corruptPNGWithStaleChecksum() throws {
        var png = try Fixture.bytes("rgb8.png")
        let idat = try #require(PNGBytes.chunks(in: png).first { $0.type == "IDAT" })
        for offset in stride(from: idat.offset + 8 + 10, to: idat.offset + 8 + idat.length, by: 97) {
            png[offset] ^= 0xFF
        }
        let error = decodingError(png, name: "flipped.png")
        guard case .corrupt(name: "flipped.png", format: .png, let detail)? = error else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("libpng: "))
    }

    /// A broken zlib stream with a correct CRC: the failure comes from decompression.
    @Test func corruptPNGWithValidChecksum() throws {
        let png = try Fixture.bytes("rgb8.png")
        let idat = try #require(PNGBytes.chunks(in: png).first { $0.type == "IDAT" })
        var payload = Array(png[idat.offset + 8..<idat.offset + 8 + idat.length])
        payload[0] = 0xFF  // not a valid zlib header
        payload[1] = 0xFF
        let rebuilt = Array(png[..<idat.offset]) + PNGBytes.chunk("IDAT", payload)
            + Array(png[(idat.offset + 12 + idat.length)...])
        let error = decodingError(rebuilt, name: "badzlib.png")
        guard case .corrupt(name: "badzlib.png", format: .png, _)? = error else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
    }

    @Test func corruptJPEGHeader() throws {
        var jpeg = try Fixture.bytes("baseline420.jpg")
        // The sample precision byte right after the SOF0 marker and its length.
        let sof = try #require((0..<jpeg.count - 1).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        jpeg[sof + 4] = 11
        let error = decodingError(jpeg, name: "precision.jpg")
        guard case .corrupt(name: "precision.jpg", format: .jpeg, let detail)? = error else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("precision"))
    }

    @Test func jpegWithZeroWidth() throws {
        var jpeg = try Fixture.bytes("baseline420.jpg")
        let sof = try #require((0..<jpeg.count - 1).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        jpeg[sof + 7] = 0  // width, big endian, after precision and height
        jpeg[sof + 8] = 0
        let error = decodingError(jpeg, name: "nowidth.jpg")
        #expect(error != nil)
    }

    @Test func signatureOnly() {
        #expect(decodingError(PNGBytes.signature, name: "sig.png") == .truncated(name: "sig.png", format: .png))
        #expect(decodingError([0xFF, 0xD8, 0xFF], name: "sig.jpg") == .truncated(name: "sig.jpg", format: .jpeg))
    }
}
