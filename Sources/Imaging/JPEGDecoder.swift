import CJPEGShim

enum JPEGDecoder {
    /// Start-of-image marker followed by the first byte of the next marker.
    static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    static func decode(_ data: [UInt8], name: String, maxPixels: Int) throws(ImageError) -> RGBImage {
        let result: Result<RGBImage, ImageError> = data.withUnsafeBufferPointer { buffer in
            guard let decoder = trilobite_jpeg_decoder_create(buffer.baseAddress, buffer.count) else {
                return .failure(.outOfMemory(name: name))
            }
            defer { trilobite_jpeg_decoder_destroy(decoder) }
            return Result { () throws(ImageError) in
                try decodeWithLibjpeg(decoder, name: name, maxPixels: maxPixels)
            }
        }
        return try result.get()
    }

    private static func decodeWithLibjpeg(
        _ decoder: OpaquePointer, name: String, maxPixels: Int
    ) throws(ImageError) -> RGBImage {
        var width: UInt32 = 0
        var height: UInt32 = 0
        var channels: Int32 = 0
        try check(trilobite_jpeg_read_header(decoder, &width, &height, &channels), decoder, name: name)
        try ImageCodec.checkDeclaredSize(width: Int(width), height: Int(height), name: name, maxPixels: maxPixels)

        let pixelCount = Int(width) * Int(height)
        var samples = [UInt8](repeating: 0, count: pixelCount * Int(channels))
        let status = samples.withUnsafeMutableBufferPointer { buffer in
            trilobite_jpeg_read_pixels(decoder, buffer.baseAddress, buffer.count)
        }
        try check(status, decoder, name: name)
        let pixels = channels == 4 ? rgbFromAdobeCMYK(samples, pixelCount: pixelCount) : samples
        return RGBImage(width: Int(width), height: Int(height), pixels: pixels)
    }

    /// Pillow's CMYK to RGB conversion, applied to CMYK as libjpeg returns it. Pillow
    /// assumes every CMYK JPEG stores inverted values (Adobe's convention) and undoes that
    /// first; written against the stored values, red is k - k·(255 - c)/255 with Pillow's
    /// rounded division by 255, and likewise for green (m) and blue (y).
    private static func rgbFromAdobeCMYK(_ cmyk: [UInt8], pixelCount: Int) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: pixelCount * RGBImage.channels)
        for pixel in 0..<pixelCount {
            let storedK = Int(cmyk[pixel * 4 + 3])
            for channel in 0..<3 {
                let inkAmount = 255 - Int(cmyk[pixel * 4 + channel])
                rgb[pixel * 3 + channel] = UInt8(storedK - divideBy255Rounded(inkAmount * storedK))
            }
        }
        return rgb
    }

    /// x / 255 rounded to nearest, exact for 0...255*255, computed as Pillow does.
    private static func divideBy255Rounded(_ product: Int) -> Int {
        let biased = product + 128
        return ((biased >> 8) + biased) >> 8
    }

    private static func check(_ status: trilobite_jpeg_status, _ decoder: OpaquePointer, name: String) throws(ImageError) {
        switch status {
        case TRILOBITE_JPEG_OK:
            return
        case TRILOBITE_JPEG_TRUNCATED:
            throw .truncated(name: name, format: .jpeg)
        case TRILOBITE_JPEG_OUT_OF_MEMORY:
            throw .outOfMemory(name: name)
        default:
            let detail = String(cString: trilobite_jpeg_error_message(decoder))
            throw .corrupt(name: name, format: .jpeg, detail: "libjpeg: \(detail)")
        }
    }
}
