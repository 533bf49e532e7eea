/// An 8-bit RGB image, row-major, interleaved (pixels.count == width * height * 3).
///
/// The initializer does not check the pixel count, so that building an image stays cheap
/// and infallible; images from `ImageCodec` are always consistent, and `ImageCodec.encodePNG`
/// reports an inconsistent one as an error instead of writing a broken file.
public struct RGBImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    static let channels = 3

    /// Whether `pixels` holds exactly `width * height * 3` bytes.
    public var hasConsistentPixelCount: Bool {
        guard width >= 0, height >= 0 else { return false }
        let (area, areaOverflow) = width.multipliedReportingOverflow(by: height)
        let (expected, countOverflow) = area.multipliedReportingOverflow(by: Self.channels)
        return !areaOverflow && !countOverflow && pixels.count == expected
    }
}
