import Figures
import Imaging
import Testing

/// A decoded figure with pixel access in device pixels.
struct DecodedFigure {
    let image: RGBImage

    init(_ figure: RenderedFigure) throws {
        image = try ImageCodec.decode(figure.png, name: "figure.png")
    }

    var width: Int { image.width }
    var height: Int { image.height }

    func pixel(_ x: Int, _ y: Int) -> (red: Int, green: Int, blue: Int) {
        let offset = (y * image.width + x) * 3
        return (Int(image.pixels[offset]), Int(image.pixels[offset + 1]), Int(image.pixels[offset + 2]))
    }

    /// The pixel under a logical point of a figure drawn at `scale`.
    func pixel(atPoint x: Double, _ y: Double, scale: Double = 2) -> (red: Int, green: Int, blue: Int) {
        pixel(Int(x * scale), Int(y * scale))
    }

    /// The longest horizontal run of pixels exactly equal to `color`, over all rows.
    func longestRun(of color: (red: UInt8, green: UInt8, blue: UInt8)) -> Int {
        var longest = 0
        for y in 0..<height {
            var run = 0
            for x in 0..<width {
                let p = pixel(x, y)
                if p.red == Int(color.red), p.green == Int(color.green), p.blue == Int(color.blue) {
                    run += 1
                    longest = max(longest, run)
                } else {
                    run = 0
                }
            }
        }
        return longest
    }

    /// How many pixels differ clearly from white inside a rectangle of device pixels.
    func inkCount(x: Range<Int>, y: Range<Int>) -> Int {
        var count = 0
        for row in y {
            for column in x {
                let p = pixel(column, row)
                if p.red + p.green + p.blue < 600 { count += 1 }
            }
        }
        return count
    }
}

/// Whether two colours agree within `tolerance` levels per channel.
func close(_ actual: (red: Int, green: Int, blue: Int), _ expected: (red: UInt8, green: UInt8, blue: UInt8),
           tolerance: Int = 2) -> Bool {
    abs(actual.red - Int(expected.red)) <= tolerance && abs(actual.green - Int(expected.green)) <= tolerance
        && abs(actual.blue - Int(expected.blue)) <= tolerance
}

/// A smooth made-up photo (gradients), so tests do not depend on image files.
func gradientImage(width: Int, height: Int) -> RGBImage {
    var pixels: [UInt8] = []
    pixels.reserveCapacity(width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            pixels += [UInt8(40 + 160 * x / max(width - 1, 1)), UInt8(60 + 120 * y / max(height - 1, 1)), 128]
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}

/// `image` with `delta` added to every channel of every pixel in the right half.
func shiftingRightHalf(of image: RGBImage, by delta: Int) -> RGBImage {
    var result = image
    for y in 0..<image.height {
        for x in (image.width / 2)..<image.width {
            for channel in 0..<3 {
                let index = (y * image.width + x) * 3 + channel
                result.pixels[index] = UInt8(min(max(Int(image.pixels[index]) + delta, 0), 255))
            }
        }
    }
    return result
}

let talkBefore = [Prediction(label: "tabby cat", probability: 0.621), Prediction(label: "tiger cat", probability: 0.201),
                  Prediction(label: "Egyptian cat", probability: 0.112), Prediction(label: "lynx", probability: 0.0123),
                  Prediction(label: "Persian cat", probability: 0.0041)]
let talkAfter = [Prediction(label: "trilobite", probability: 0.9892), Prediction(label: "isopod", probability: 0.00118),
                 Prediction(label: "screw", probability: 0.00104), Prediction(label: "streetcar", probability: 0.00077),
                 Prediction(label: "chow", probability: 0.00066)]
