import CPNGShim

enum PNGCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The size from the IHDR chunk, which the format requires to come right after the
    /// signature. Read here rather than through libpng so that an empty or enormous size
    /// is reported as such, instead of as libpng's message about the IHDR chunk.
    static func declaredSize(of data: [UInt8]) -> (width: Int, height: Int)? {
        let chunkTypeRange = 12..<16
        guard data.count >= 24, data[chunkTypeRange].elementsEqual("IHDR".utf8) else { return nil }
        return (readBigEndian32(data, at: 16), readBigEndian32(data, at: 20))
    }

    static func decode(_ data: [UInt8], name: String, maxPixels: Int) throws(ImageError) -> RGBImage {
        if let size = declaredSize(of: data) {
            try ImageCodec.checkDeclaredSize(width: size.width, height: size.height, name: name, maxPixels: maxPixels)
        }
        let result: Result<RGBImage, ImageError> = data.withUnsafeBufferPointer { buffer in
            guard let decoder = trilobite_png_decoder_create(buffer.baseAddress, buffer.count) else {
                return .failure(.outOfMemory(name: name))
            }
            defer { trilobite_png_decoder_destroy(decoder) }
            return Result { () throws(ImageError) in
                try decodeWithLibpng(decoder, name: name, maxPixels: maxPixels)
            }
        }
        return try result.get()
    }

    private static func decodeWithLibpng(
        _ decoder: OpaquePointer, name: String, maxPixels: Int
    ) throws(ImageError) -> RGBImage {
        var width: UInt32 = 0
        var height: UInt32 = 0
        try check(trilobite_png_read_header(decoder, &width, &height), decoder, name: name)
        // libpng has its own view of the header; check it too before allocating.
        try ImageCodec.checkDeclaredSize(width: Int(width), height: Int(height), name: name, maxPixels: maxPixels)

        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * RGBImage.channels)
        let status = pixels.withUnsafeMutableBufferPointer { buffer in
            trilobite_png_read_rgb(decoder, buffer.baseAddress, buffer.count)
        }
        try check(status, decoder, name: name)
        return RGBImage(width: Int(width), height: Int(height), pixels: pixels)
    }

    private static func check(_ status: trilobite_png_status, _ decoder: OpaquePointer, name: String) throws(ImageError) {
        switch status {
        case TRILOBITE_PNG_OK:
            return
        case TRILOBITE_PNG_TRUNCATED:
            throw .truncated(name: name, format: .png)
        case TRILOBITE_PNG_OUT_OF_MEMORY:
            throw .outOfMemory(name: name)
        default:
            let detail = String(cString: trilobite_png_error_message(decoder))
            throw .corrupt(name: name, format: .png, detail: "libpng: \(detail)")
        }
    }

    static func encode(_ image: RGBImage, destination: String?,
                       compression: PNGCompression = .smallest) throws(ImageError) -> [UInt8] {
        guard image.hasConsistentPixelCount else {
            throw .cannotEncode(destination: destination, reason: "the image claims \(image.width)×\(image.height) pixels but holds \(image.pixels.count) bytes instead of width × height × 3; the code that built this RGBImage has a bug")
        }
        guard image.width > 0, image.height > 0 else {
            throw .cannotEncode(destination: destination, reason: "the image is \(image.width)×\(image.height), and PNG cannot store an image without pixels")
        }
        guard image.width <= Int(Int32.max), image.height <= Int(Int32.max) else {
            throw .cannotEncode(destination: destination, reason: "the image is \(image.width)×\(image.height), and PNG sides stop at \(Int32.max) pixels")
        }

        var encoded: UnsafeMutablePointer<UInt8>?
        var encodedCount = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            message.withUnsafeMutableBufferPointer { messageBuffer in
                trilobite_png_encode_rgb_with(pixels.baseAddress, UInt32(image.width), UInt32(image.height),
                                              compression.zlibLevel, compression.filters,
                                              &encoded, &encodedCount, messageBuffer.baseAddress, messageBuffer.count)
            }
        }
        defer { trilobite_png_free(encoded) }
        switch status {
        case TRILOBITE_PNG_OK:
            guard let encoded else { return [] }
            return Array(UnsafeBufferPointer(start: encoded, count: encodedCount))
        case TRILOBITE_PNG_OUT_OF_MEMORY:
            throw .outOfMemory(name: destination ?? "PNG in memory")
        default:
            let detail = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .cannotEncode(destination: destination, reason: "libpng: \(detail)")
        }
    }

    private static func readBigEndian32(_ data: [UInt8], at offset: Int) -> Int {
        data[offset..<offset + 4].reduce(0) { ($0 << 8) | Int($1) }
    }
}

/// How hard the PNG encoder works. Each setting is fixed, so equal pixels give equal bytes.
public enum PNGCompression: Sendable {
    /// zlib level 6 and libpng's per-row choice among the five filters: photos and adversarial
    /// images, written once and read often.
    case smallest
    /// zlib level 3 and the "up" filter on every row: figures, whose flat areas and repeated rows
    /// compress well anyway, drawn on every build where speed matters more than a few percent.
    case fast

    var zlibLevel: Int32 {
        switch self {
        case .smallest: 6
        case .fast: 3
        }
    }

    var filters: Int32 {
        switch self {
        case .smallest: Int32(TRILOBITE_PNG_ALL_FILTERS)
        case .fast: Int32(TRILOBITE_PNG_UP_FILTER)
        }
    }
}
