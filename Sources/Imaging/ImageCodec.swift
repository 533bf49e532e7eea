/// Reading and writing image files.
public enum ImageCodec {
    /// Reads a PNG or JPEG file; see `decode(_:name:maxPixels:)`.
    public static func read(contentsOf path: String, maxPixels: Int = 100_000_000) throws(ImageError) -> RGBImage {
        let data = try FileAccess.readAll(path: path)
        return try decode(data, name: path, maxPixels: maxPixels)
    }

    /// Decodes PNG or JPEG bytes into 8-bit RGB, recognising the format by its signature
    /// rather than by any file name. The result matches Pillow's `Image.open(f).convert("RGB")`:
    ///
    /// - PNG: every colour type and bit depth, palettes with tRNS, interlaced files.
    ///   Alpha and transparency are dropped without compositing. 16-bit samples keep their
    ///   high byte (libpng's `png_set_strip_16`), as Pillow does for 16-bit RGB and RGBA;
    ///   for 16-bit grey Pillow instead clamps the value to 255, which turns nearly every
    ///   pixel white, and we deliberately do not copy that.
    /// - JPEG: greyscale, YCbCr or RGB, CMYK/YCCK (converted with Pillow's formula, assuming
    ///   Adobe's inverted CMYK as Pillow does), baseline or progressive, decoded by libjpeg
    ///   with Pillow's settings (accurate integer IDCT, fancy upsampling).
    ///
    /// Like Pillow's `Image.open`, this ignores EXIF orientation (a phone photo may come out
    /// rotated) and embedded ICC colour profiles.
    ///
    /// The size in the header is checked before any pixel memory is allocated: a width or
    /// height of 0, a side above `ImageError.maximumSide`, or more than `maxPixels` pixels
    /// is refused. Truncated or damaged data is reported as an error.
    ///
    /// - Parameter name: how the data is called in error messages, usually its file path.
    public static func decode(_ data: [UInt8], name: String, maxPixels: Int = 100_000_000) throws(ImageError) -> RGBImage {
        if data.starts(with: PNGCodec.signature) {
            return try PNGCodec.decode(data, name: name, maxPixels: maxPixels)
        }
        if data.starts(with: JPEGDecoder.signature) {
            return try JPEGDecoder.decode(data, name: name, maxPixels: maxPixels)
        }
        throw .unrecognizedFormat(name: name, detail: describeUnknownContent(data))
    }

    /// Writes an 8-bit RGB PNG, atomically: the file either keeps its old contents or has
    /// the complete new image. The same pixels always give the same bytes (no time stamp,
    /// fixed compression settings).
    public static func writePNG(_ image: RGBImage, to path: String) throws(ImageError) {
        let encoded = try PNGCodec.encode(image, destination: path)
        try FileAccess.writeAtomically(encoded, to: path)
    }

    /// Encodes an 8-bit RGB PNG in memory; with `.smallest`, byte for byte what `writePNG` writes.
    public static func encodePNG(_ image: RGBImage, compression: PNGCompression = .smallest) throws(ImageError) -> [UInt8] {
        try PNGCodec.encode(image, destination: nil, compression: compression)
    }

    /// Refuses sizes before pixel memory is allocated for them.
    static func checkDeclaredSize(width: Int, height: Int, name: String, maxPixels: Int) throws(ImageError) {
        guard width > 0, height > 0 else {
            throw .emptyImage(name: name, width: width, height: height)
        }
        guard width <= ImageError.maximumSide, height <= ImageError.maximumSide,
              width * height <= maxPixels
        else {
            throw .tooLarge(name: name, width: width, height: height, maxPixels: maxPixels)
        }
    }

    /// A hint about what the bytes are, since the usual cause is a mislabelled file.
    private static func describeUnknownContent(_ data: [UInt8]) -> String {
        if data.isEmpty { return "the file is empty" }
        let knownSignatures: [(prefix: [UInt8], offset: Int, format: String)] = [
            (Array("GIF8".utf8), 0, "GIF"),
            (Array("BM".utf8), 0, "BMP"),
            (Array("WEBP".utf8), 8, "WebP"),
            (Array("ftyp".utf8), 4, "HEIF/AVIF"),
            ([0x49, 0x49, 0x2A, 0x00], 0, "TIFF"),
            ([0x4D, 0x4D, 0x00, 0x2A], 0, "TIFF"),
        ]
        for known in knownSignatures where data.dropFirst(known.offset).starts(with: known.prefix) {
            return "it looks like a \(known.format) file"
        }
        let leading = data.prefix(8).map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "its first bytes are \(leading.joined(separator: " ")), which match neither signature"
    }
}
