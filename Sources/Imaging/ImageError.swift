/// The image file formats `ImageCodec` reads.
public enum ImageFormat: String, Sendable, Equatable {
    case png = "PNG"
    case jpeg = "JPEG"
}

/// Why an image could not be read or written. Every message names the file (or says that
/// the data was in memory) and says what to do about it.
public enum ImageError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read; `reason` is the system's explanation.
    case fileUnreadable(path: String, reason: String)
    /// The destination could not be written; `reason` is the system's explanation.
    case fileUnwritable(path: String, reason: String)
    /// The bytes are neither PNG nor JPEG (the format is recognised by content, not by name).
    case unrecognizedFormat(name: String, detail: String)
    /// The header declares a width or height of zero.
    case emptyImage(name: String, width: Int, height: Int)
    /// The header declares more pixels than allowed; refused before any pixel memory is taken.
    case tooLarge(name: String, width: Int, height: Int, maxPixels: Int)
    /// The data stops before the image is complete.
    case truncated(name: String, format: ImageFormat)
    /// The decoder rejected the data; `detail` is libpng's or libjpeg's reason.
    case corrupt(name: String, format: ImageFormat, detail: String)
    /// Memory ran out while decoding or encoding.
    case outOfMemory(name: String)
    /// The image cannot be stored as PNG (no pixels, a pixel count that does not match its
    /// size, a failure inside libpng); `destination` is the file path, or nil in memory.
    case cannotEncode(destination: String?, reason: String)

    /// The largest width or height accepted, whatever `maxPixels` says. PNG allows more,
    /// but nothing this project handles needs it, and JPEG stops at 65500 anyway.
    public static let maximumSide = 65_535

    public var description: String {
        switch self {
        case let .fileUnreadable(path, reason):
            return "cannot read '\(path)': \(reason)."
        case let .fileUnwritable(path, reason):
            return "cannot write '\(path)': \(reason). Check that the folder exists and is writable."
        case let .unrecognizedFormat(name, detail):
            return "'\(name)' is not a PNG or JPEG image (\(detail)). Convert it to PNG or JPEG first."
        case let .emptyImage(name, width, height):
            return "'\(name)' declares a \(width)×\(height) image, which has no pixels; the file is damaged or was written incorrectly."
        case let .tooLarge(name, width, height, maxPixels):
            if width > Self.maximumSide || height > Self.maximumSide {
                return "'\(name)' is \(width)×\(height) pixels; sides longer than \(Self.maximumSide) pixels are not supported. Downscale the image first."
            }
            let (area, overflow) = width.multipliedReportingOverflow(by: height)
            let count = overflow ? "more than \(Int.max)" : String(area)
            return "'\(name)' is \(width)×\(height) = \(count) pixels, more than the limit of \(maxPixels). Downscale the image first, or raise maxPixels if you have the memory (3 bytes per pixel)."
        case let .truncated(name, format):
            return "'\(name)' is a truncated \(format.rawValue) file: the data ends before the image does. Was a download or copy interrupted? Fetch the file again."
        case let .corrupt(name, format, detail):
            return "'\(name)' is a damaged \(format.rawValue) file (\(detail)). Re-export or fetch it again."
        case let .outOfMemory(name):
            return "ran out of memory while processing '\(name)'. Try a smaller image."
        case let .cannotEncode(destination, reason):
            let target = destination.map { "cannot write '\($0)' as PNG" } ?? "cannot encode the image as PNG"
            return "\(target): \(reason)."
        }
    }
}
