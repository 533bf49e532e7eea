import Foundation
import Testing
@testable import Imaging

@Suite struct EncodeTests {
    private func randomImage(width: Int, height: Int, seed: UInt64) -> RGBImage {
        // A fixed linear congruential sequence, so failures reproduce.
        var state = seed
        let pixels = (0..<width * height * 3).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test func roundTripKeepsEveryPixel() throws {
        for (width, height) in [(1, 1), (37, 23), (224, 224), (3, 200)] {
            let image = randomImage(width: width, height: height, seed: UInt64(width * 1000 + height))
            let decoded = try ImageCodec.decode(try ImageCodec.encodePNG(image), name: "round-trip.png")
            #expect(decoded == image)
        }
    }

    @Test func encodingIsDeterministic() throws {
        let image = randomImage(width: 64, height: 48, seed: 7)
        let first = try ImageCodec.encodePNG(image)
        let second = try ImageCodec.encodePNG(image)
        #expect(first == second)
        // Nothing that varies between runs: just the header, the data and the end.
        #expect(PNGBytes.chunks(in: first).map(\.type).filter { $0 != "IDAT" } == ["IHDR", "IEND"])
    }

    @Test func writePNGWritesWhatEncodePNGReturnsAndLeavesNoTemporaryFile() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = folder.file("adversarial.png")
        let first = randomImage(width: 30, height: 20, seed: 1)
        try ImageCodec.writePNG(first, to: path)
        #expect(try ImageCodec.read(contentsOf: path) == first)

        let second = randomImage(width: 20, height: 30, seed: 2)
        try ImageCodec.writePNG(second, to: path)
        #expect(try ImageCodec.read(contentsOf: path) == second)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == (try ImageCodec.encodePNG(second)))
        #expect(try folder.contents() == ["adversarial.png"])
    }

    @Test func writeIntoMissingFolderNamesThePath() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = folder.file("missing/out.png")
        do {
            try ImageCodec.writePNG(randomImage(width: 2, height: 2, seed: 3), to: path)
            Issue.record("wrote into a folder that does not exist")
        } catch {
            #expect(error == .fileUnwritable(path: path, reason: "no such file or folder"))
            #expect(error.description.contains(path))
        }
    }

    @Test func inconsistentOrEmptyImagesAreRefused() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = folder.file("bad.png")
        let short = RGBImage(width: 4, height: 4, pixels: [UInt8](repeating: 0, count: 47))
        do {
            try ImageCodec.writePNG(short, to: path)
            Issue.record("encoded an image with too few bytes")
        } catch {
            guard case .cannotEncode(destination: path, _) = error else {
                Issue.record("expected cannotEncode, got \(error)")
                return
            }
            #expect(error.description.contains(path))
        }
        #expect(!FileManager.default.fileExists(atPath: path))

        #expect(throws: ImageError.self) { try ImageCodec.encodePNG(RGBImage(width: 0, height: 0, pixels: [])) }
    }
}

@Suite struct FastEncodingTests {
    /// Rows that mostly repeat the row above, like a drawn figure, with a noisy band like a photo.
    private func drawingLikeImage(width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 250, count: width * height * 3)
        var state: UInt64 = 11
        for row in height / 3..<height / 2 {
            for index in row * width * 3..<(row + 1) * width * 3 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                pixels[index] = UInt8(truncatingIfNeeded: state >> 56)
            }
        }
        for row in 0..<height { pixels[(row * width + width / 2) * 3] = 0 }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test func fastEncodingKeepsEveryPixelAndTheSameBytes() throws {
        let image = drawingLikeImage(width: 320, height: 200)
        let fast = try ImageCodec.encodePNG(image, compression: .fast)
        #expect(try ImageCodec.decode(fast, name: "fast.png") == image)
        #expect(try ImageCodec.encodePNG(image, compression: .fast) == fast)
        #expect(PNGBytes.chunks(in: fast).map(\.type).filter { $0 != "IDAT" } == ["IHDR", "IEND"])
    }

    @Test func theTwoSettingsReallyDiffer() throws {
        let image = drawingLikeImage(width: 320, height: 200)
        let fast = try ImageCodec.encodePNG(image, compression: .fast)
        let smallest = try ImageCodec.encodePNG(image, compression: .smallest)
        #expect(fast != smallest)
        #expect(smallest == (try ImageCodec.encodePNG(image)), "smallest is the default")
        #expect(smallest.count <= fast.count)
    }
}
