import Foundation

/// A float32 tensor read from a safetensors file: row-major values and their shape.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    public var count: Int { shape.reduce(1, *) }
}

/// Reader for the safetensors format: an 8-byte little-endian header length, a JSON header that
/// maps each tensor name to its dtype, shape and byte range, then the raw little-endian data.
/// Every field is checked before a byte of data is trusted.
public struct SafeTensorsFile: Sendable {
    public let path: String
    public let tensors: [String: Tensor]
    public let metadata: [String: String]
    /// SHA-256 style identity is not needed here; the byte count helps error messages and caches.
    public let byteCount: Int

    /// Largest JSON header we accept: real files have a few kilobytes.
    static let maximumHeaderBytes = 100 << 20

    public init(contentsOf path: String) throws {
        // Mapped, not read: the tensors are copied out once, so the file's bytes never need a
        // second home in memory (this halves the peak memory of loading a model).
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
            throw EngineError.fileUnreadable(path: path, reason: reason)
        }
        (tensors, metadata) = try data.withUnsafeBytes { raw in try Self.parse(raw, path: path) }
        self.path = path
        byteCount = data.count
    }

    public init(bytes: [UInt8], path: String) throws {
        (tensors, metadata) = try bytes.withUnsafeBytes { raw in try Self.parse(raw, path: path) }
        self.path = path
        byteCount = bytes.count
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws -> ([String: Tensor], [String: String]) {
        func corrupt(_ reason: String) -> EngineError { .corruptWeights(path: path, reason: reason) }

        guard bytes.count >= 8 else { throw corrupt("the file is \(bytes.count) bytes, shorter than the 8-byte header length") }
        var headerLength = 0
        for i in 0..<8 { headerLength |= Int(bytes[i]) << (8 * i) }
        guard headerLength > 1, headerLength <= maximumHeaderBytes else {
            throw corrupt("header length \(headerLength) is impossible")
        }
        guard 8 + headerLength <= bytes.count else {
            throw corrupt("header length \(headerLength) runs past the end of the file (\(bytes.count) bytes): the file is truncated")
        }
        let headerData = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)]))
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw corrupt("the header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart

        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        var ranges: [(Int, Int, String)] = []
        for (name, entry) in header {
            if name == "__metadata__" {
                if let pairs = entry as? [String: Any] {
                    for (key, value) in pairs { metadata[key] = "\(value)" }
                }
                continue
            }
            guard let fields = entry as? [String: Any],
                  let dtype = fields["dtype"] as? String,
                  let shapeAny = fields["shape"] as? [Any],
                  let offsetsAny = fields["data_offsets"] as? [Any], offsetsAny.count == 2
            else { throw corrupt("entry '\(name)' lacks dtype, shape or data_offsets") }
            let shape = try shapeAny.map { value -> Int in
                guard let dimension = (value as? NSNumber)?.intValue, dimension >= 0, dimension < 1 << 31 else {
                    throw corrupt("entry '\(name)' has an invalid shape")
                }
                return dimension
            }
            let offsets = try offsetsAny.map { value -> Int in
                guard let offset = (value as? NSNumber)?.intValue, offset >= 0 else {
                    throw corrupt("entry '\(name)' has an invalid data offset")
                }
                return offset
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin <= end, end <= dataLength else {
                throw corrupt("entry '\(name)' points at bytes \(begin)..<\(end) but the data section has \(dataLength): the file is truncated or corrupt")
            }
            let elementCount = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
            let elementBytes: Int
            switch dtype {
            case "F32": elementBytes = 4
            case "F64": elementBytes = 8
            case "I64": elementBytes = 8
            case "I32": elementBytes = 4
            default: throw corrupt("entry '\(name)' has dtype \(dtype); only F32, F64, I32 and I64 are read")
            }
            guard end - begin == elementCount * elementBytes else {
                throw corrupt("entry '\(name)' has \(end - begin) bytes for shape \(shape) of \(dtype)")
            }
            ranges.append((begin, end, name))
            let base = bytes.baseAddress! + dataStart + begin
            let values = [Float](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
                switch dtype {
                case "F32":
                    for i in 0..<elementCount {
                        buffer[i] = Float(bitPattern: UInt32(littleEndian: (base + 4 * i).loadUnaligned(as: UInt32.self)))
                    }
                case "F64":
                    for i in 0..<elementCount {
                        buffer[i] = Float(Double(bitPattern: UInt64(littleEndian: (base + 8 * i).loadUnaligned(as: UInt64.self))))
                    }
                case "I64":
                    for i in 0..<elementCount { buffer[i] = Float(Int64(littleEndian: (base + 8 * i).loadUnaligned(as: Int64.self))) }
                default:
                    for i in 0..<elementCount { buffer[i] = Float(Int32(littleEndian: (base + 4 * i).loadUnaligned(as: Int32.self))) }
                }
                initialized = elementCount
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        ranges.sort { $0.0 < $1.0 }
        for (first, second) in zip(ranges, ranges.dropFirst()) where second.0 < first.1 {
            throw corrupt("entries '\(first.2)' and '\(second.2)' overlap")
        }
        return (tensors, metadata)
    }

    /// The tensor called `name`, checked against `shape` when given.
    public func tensor(_ name: String, shape: [Int]? = nil) throws -> Tensor {
        guard let tensor = tensors[name] else { throw EngineError.missingTensor(path: path, name: name) }
        if let shape, shape != tensor.shape {
            throw EngineError.unexpectedShape(path: path, name: name, expected: shape, found: tensor.shape)
        }
        return tensor
    }
}

extension SafeTensorsFile {
    /// Encodes float32 tensors as safetensors bytes, names sorted so the bytes are reproducible.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        var entries: [String] = []
        var offset = 0
        let names = tensors.keys.sorted()
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        for name in names {
            let tensor = tensors[name]!
            let size = tensor.values.count * 4
            entries.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        for i in 0..<8 { bytes.append(UInt8((header.count >> (8 * i)) & 0xff)) }
        bytes += header
        for name in names {
            for value in tensors[name]!.values {
                let bits = value.bitPattern.littleEndian
                for i in 0..<4 { bytes.append(UInt8((bits >> (8 * UInt32(i))) & 0xff)) }
            }
        }
        return bytes
    }

    private static func jsonString(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
