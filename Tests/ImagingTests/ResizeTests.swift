import Foundation
import Testing
@testable import Imaging

/// Resampling must agree bit for bit with Pillow's `resize(..., Image.BICUBIC)`.
@Suite struct ResizeTests {
    struct Size: Sendable, CustomTestStringConvertible {
        let width: Int
        let height: Int
        var testDescription: String { "\(width)×\(height)" }
    }

    /// From the random 37×23 image: shrinking, enlarging, one axis only, both directions at
    /// once, extreme shrinking, shrinking by a single pixel, and the two sizes either side of
    /// Pillow's switch to the vertical pass first (111×7 and 33×13 go vertical first).
    @Test(arguments: [
        Size(width: 19, height: 12), Size(width: 80, height: 50), Size(width: 37, height: 50),
        Size(width: 60, height: 23), Size(width: 5, height: 3), Size(width: 1, height: 1),
        Size(width: 111, height: 7), Size(width: 36, height: 22),
        Size(width: 32, height: 13), Size(width: 33, height: 13),
    ])
    func resizeMatchesPillow(size: Size) throws {
        let source = try Fixture.image("rgb8.png")
        let resized = Preprocess.resizeBicubic(source, width: size.width, height: size.height)
        let expected = try Fixture.expectedImage("resize_to_\(size.width)x\(size.height).expected.rgb",
                                                 width: size.width, height: size.height)
        #expect(resized == expected, "largest difference \(largestDifference(resized, expected))")
    }

    @Test func resizeToTheSameSizeChangesNothing() throws {
        let source = try Fixture.image("rgb8.png")
        #expect(Preprocess.resizeBicubic(source, width: 37, height: 23) == source)
    }

    @Test func centerCropOfLandscapeMatchesReference() throws {
        let source = try Fixture.image("landscape_300x200.png")
        let cropped = Preprocess.centerCrop(source, size: 224)
        let expected = try Fixture.image("landscape_crop224.expected.png")
        #expect(cropped.width == 224 && cropped.height == 224)
        #expect(cropped == expected, "largest difference \(largestDifference(cropped, expected))")
    }

    @Test func centerCropOfPortraitMatchesReference() throws {
        let source = try Fixture.image("noise_90x130.png")
        let cropped = Preprocess.centerCrop(source, size: 57)
        let expected = try Fixture.expectedImage("noise_90x130_crop57.expected.rgb", width: 57, height: 57)
        #expect(cropped == expected, "largest difference \(largestDifference(cropped, expected))")
    }

    /// 37×23 to a 16 crop scales down only slightly (to 26×16) before cropping 5 columns away.
    @Test func centerCropOfSmallImageMatchesReference() throws {
        let source = try Fixture.image("rgb8.png")
        let cropped = Preprocess.centerCrop(source, size: 16)
        let expected = try Fixture.expectedImage("rgb8_crop16.expected.rgb", width: 16, height: 16)
        #expect(cropped == expected, "largest difference \(largestDifference(cropped, expected))")
    }

    /// A tall image shrinks more in height than in width, so Pillow resizes vertically first.
    @Test func centerCropOfTallImageMatchesReference() throws {
        let source = try Fixture.image("noise_20x90.png")
        #expect(BicubicResampler.verticalPassGoesFirst(from: source, width: 18, height: 82))
        let cropped = Preprocess.centerCrop(source, size: 16)
        let expected = try Fixture.expectedImage("noise_20x90_crop16.expected.rgb", width: 16, height: 16)
        #expect(cropped == expected, "largest difference \(largestDifference(cropped, expected))")
    }

    @Test func centerCropLeavesAnImageOfTheTargetSizeAlone() throws {
        let source = try Fixture.image("rgb8.png")
        let square = Preprocess.crop(source, left: 3, top: 2, width: 20, height: 20)
        #expect(Preprocess.centerCrop(square, size: 20) == square)
    }

    @Test func degenerateSizesGiveEmptyOrBlackImagesInsteadOfCrashing() throws {
        let source = try Fixture.image("rgb8.png")
        #expect(Preprocess.centerCrop(source, size: 0) == RGBImage(width: 0, height: 0, pixels: []))
        #expect(Preprocess.resizeBicubic(source, width: 0, height: 5).pixels.isEmpty)
        let empty = RGBImage(width: 0, height: 0, pixels: [])
        #expect(Preprocess.resizeBicubic(empty, width: 2, height: 1) == RGBImage(width: 2, height: 1, pixels: [UInt8](repeating: 0, count: 6)))
    }

    /// The filter's weights along one axis always add up to one in fixed point (give or
    /// take rounding), otherwise flat colours would drift.
    @Test func flatColourStaysFlat() {
        let flat = RGBImage(width: 41, height: 29, pixels: [UInt8](repeating: 0, count: 41 * 29).flatMap { _ in [200, 17, 255] })
        for (width, height) in [(7, 5), (100, 3), (41, 60)] {
            let resized = Preprocess.resizeBicubic(flat, width: width, height: height)
            #expect(resized.pixels == [UInt8](repeating: 0, count: width * height).flatMap { _ in [200, 17, 255] })
        }
    }
}
