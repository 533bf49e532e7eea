import Foundation
import Testing
@testable import Imaging

/// Files made by Pillow (see Fixtures/README.md for how and with what).
enum Fixture {
    static func path(_ name: String) throws -> String {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil),
                                  "the Fixtures resource folder is missing from the test bundle")
        return folder.appendingPathComponent(name).path
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        let data = try #require(FileManager.default.contents(atPath: try path(name)),
                                "cannot read fixture \(name)")
        return [UInt8](data)
    }

    static func image(_ name: String) throws -> RGBImage {
        try ImageCodec.read(contentsOf: try path(name))
    }

    /// Raw interleaved RGB bytes as written by Pillow's `tobytes()`.
    static func expectedImage(_ name: String, width: Int, height: Int) throws -> RGBImage {
        let pixels = try bytes(name)
        try #require(pixels.count == width * height * 3, "\(name) holds \(pixels.count) bytes, not \(width)×\(height)×3")
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}

/// A folder under the system's temporary folder, removed by `remove()`.
struct ScratchFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ImagingTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The largest difference between corresponding bytes, for readable failure messages.
func largestDifference(_ a: RGBImage, _ b: RGBImage) -> Int {
    guard a.pixels.count == b.pixels.count else { return Int.max }
    return zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
}

/// Builds PNG files byte by byte, for headers no encoder would write.
enum PNGBytes {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(payload.count)) + typeBytes + payload + bigEndian(crc32(typeBytes + payload))
    }

    /// An 8-bit RGB header for the given size, with a correct CRC.
    static func header(width: UInt32, height: UInt32) -> [UInt8] {
        chunk("IHDR", bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0])
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }

    /// Byte offsets of every chunk: (type, start of length field, payload length).
    static func chunks(in png: [UInt8]) -> [(type: String, offset: Int, length: Int)] {
        var found: [(String, Int, Int)] = []
        var offset = signature.count
        while offset + 8 <= png.count {
            let length = png[offset..<offset + 4].reduce(0) { ($0 << 8) | Int($1) }
            let type = String(decoding: png[offset + 4..<offset + 8], as: UTF8.self)
            found.append((type, offset, length))
            offset += 12 + length
        }
        return found
    }
}
