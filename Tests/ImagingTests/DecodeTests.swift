import Foundation
import Testing
@testable import Imaging

/// Decoding must give exactly the bytes of Pillow's `Image.open(f).convert("RGB")`.
@Suite struct DecodeTests {
    @Test(arguments: [
        "rgb8", "grey8", "grey2", "mono1", "rgba8", "greyalpha8", "rgb8_trns",
        "palette4_trns", "palette8_trns", "rgb16", "rgba16", "rgb8_interlaced",
        "palette2_interlaced",
    ])
    func pngMatchesPillow(fixture: String) throws {
        let decoded = try Fixture.image("\(fixture).png")
        let expected = try Fixture.expectedImage("\(fixture).expected.rgb", width: 37, height: 23)
        #expect(decoded.width == 37 && decoded.height == 23)
        #expect(decoded == expected, "largest difference \(largestDifference(decoded, expected))")
    }

    /// Pillow clamps 16-bit grey to 255 in convert("RGB"), turning nearly everything white;
    /// we keep the high byte instead, as for 16-bit colour, and the fixture says so.
    @Test func sixteenBitGreyKeepsHighByte() throws {
        let decoded = try Fixture.image("grey16.png")
        let expected = try Fixture.expectedImage("grey16.expected.rgb", width: 37, height: 23)
        #expect(decoded == expected, "largest difference \(largestDifference(decoded, expected))")
    }

    @Test(arguments: ["baseline420", "baseline444", "baseline422", "progressive", "restarts", "grey", "cmyk"])
    func jpegMatchesPillow(fixture: String) throws {
        let decoded = try Fixture.image("\(fixture).jpg")
        let expected = try Fixture.expectedImage("\(fixture).expected.rgb", width: 53, height: 35)
        #expect(decoded.width == 53 && decoded.height == 35)
        #expect(decoded == expected, "largest difference \(largestDifference(decoded, expected))")
    }

    @Test func formatComesFromContentNotName() throws {
        let jpeg = try ImageCodec.decode(Fixture.bytes("baseline420.jpg"), name: "actually-a-jpeg.png")
        let png = try ImageCodec.decode(Fixture.bytes("rgb8.png"), name: "actually-a-png.jpg")
        #expect(jpeg == (try Fixture.image("baseline420.jpg")))
        #expect(png == (try Fixture.image("rgb8.png")))
    }

    @Test func maxPixelsAtTheExactSizeIsAccepted() throws {
        let image = try ImageCodec.decode(Fixture.bytes("rgb8.png"), name: "rgb8.png", maxPixels: 37 * 23)
        #expect(image.width == 37)
        let jpeg = try ImageCodec.decode(Fixture.bytes("grey.jpg"), name: "grey.jpg", maxPixels: 53 * 35)
        #expect(jpeg.width == 53)
    }

    @Test func trailingBytesAfterTheImageAreIgnored() throws {
        for name in ["rgb8.png", "baseline420.jpg"] {
            let padded = try Fixture.bytes(name) + Array("trailing garbage".utf8)
            #expect(try ImageCodec.decode(padded, name: name) == (try Fixture.image(name)))
        }
    }
}
