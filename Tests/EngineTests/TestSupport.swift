import Foundation
@testable import Engine

enum TestPaths {
    /// The package root, found from this file's place in `Tests/EngineTests/`.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let weights = repository.appendingPathComponent("Weights").path
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }
}

/// A deterministic generator for test data (SplitMix64).
struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func symmetric() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
    mutating func values(_ count: Int, scale: Float = 1) -> [Float] { (0..<count).map { _ in symmetric() * scale } }
}

/// A tiny EfficientNet-Lite with random weights and the checkpoint's tensor names: a stem,
/// a block without expansion (3×3, skip), a 5×5 stride-2 block, a 3×3 block with skip, the head
/// and the classifier, so that every layer kind and both paddings occur.
enum TinyNetwork {
    static func file(seed: UInt64 = 7) throws -> SafeTensorsFile {
        var random = TestRandom(state: seed)
        var tensors: [String: Tensor] = [:]
        func conv(_ name: String, _ shape: [Int]) {
            let fanIn = shape.dropFirst().reduce(1, *)
            tensors[name] = Tensor(shape: shape, values: random.values(shape.reduce(1, *), scale: 1.5 / Float(fanIn).squareRoot()))
        }
        func batchNorm(_ prefix: String, _ channels: Int) {
            tensors[prefix + ".weight"] = Tensor(shape: [channels], values: random.values(channels, scale: 0.3).map { 1 + $0 })
            tensors[prefix + ".bias"] = Tensor(shape: [channels], values: random.values(channels, scale: 0.5).map { $0 + 0.5 })
            tensors[prefix + ".running_mean"] = Tensor(shape: [channels], values: random.values(channels, scale: 0.2))
            tensors[prefix + ".running_var"] = Tensor(shape: [channels], values: random.values(channels, scale: 0.3).map { 1 + $0 })
        }
        conv("_conv_stem.weight", [8, 3, 3, 3]); batchNorm("_bn0", 8)
        conv("_blocks.0._depthwise_conv.weight", [8, 1, 3, 3]); batchNorm("_blocks.0._bn1", 8)
        conv("_blocks.0._project_conv.weight", [8, 8, 1, 1]); batchNorm("_blocks.0._bn2", 8)
        conv("_blocks.1._expand_conv.weight", [16, 8, 1, 1]); batchNorm("_blocks.1._bn0", 16)
        conv("_blocks.1._depthwise_conv.weight", [16, 1, 5, 5]); batchNorm("_blocks.1._bn1", 16)
        conv("_blocks.1._project_conv.weight", [12, 16, 1, 1]); batchNorm("_blocks.1._bn2", 12)
        conv("_blocks.2._expand_conv.weight", [20, 12, 1, 1]); batchNorm("_blocks.2._bn0", 20)
        conv("_blocks.2._depthwise_conv.weight", [20, 1, 3, 3]); batchNorm("_blocks.2._bn1", 20)
        conv("_blocks.2._project_conv.weight", [12, 20, 1, 1]); batchNorm("_blocks.2._bn2", 12)
        conv("_conv_head.weight", [24, 12, 1, 1]); batchNorm("_bn1", 24)
        tensors["_fc.weight"] = Tensor(shape: [10, 24], values: random.values(240, scale: 0.4))
        tensors["_fc.bias"] = Tensor(shape: [10], values: random.values(10, scale: 0.1))
        return try SafeTensorsFile(bytes: SafeTensorsFile.encode(tensors), path: "tiny.safetensors")
    }

    static func network(inputSize: Int) throws -> EfficientNetLite {
        EfficientNetLite(try EfficientNetLiteWeights(file: file(), inputSize: inputSize))
    }
}

func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Double {
    var dot = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
    return dot / (na.squareRoot() * nb.squareRoot())
}

func relativeL2Error(_ value: [Float], reference: [Float]) -> Double {
    var diff = 0.0, norm = 0.0
    for (x, y) in zip(value, reference) { diff += Double(x - y) * Double(x - y); norm += Double(y) * Double(y) }
    return (diff / norm).squareRoot()
}

/// NCHW (one image) → NHWC.
func channelsLast(_ values: [Float], channels: Int, side: Int) -> [Float] {
    var result = [Float](repeating: 0, count: values.count)
    for c in 0..<channels {
        for p in 0..<(side * side) { result[p * channels + c] = values[c * side * side + p] }
    }
    return result
}
