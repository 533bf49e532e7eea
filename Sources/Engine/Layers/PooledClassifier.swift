/// The network's last step: the mean of the head's features over all pixels, then a dense layer
/// to the class logits, `logits[batch × classes] = mean(features) · Wᵀ + b`.
struct PooledClassifier: Sendable {
    let features: Int
    let classes: Int
    /// `[classes × features]`
    let weights: [Float]
    /// `[classes]`
    let bias: [Float]

    init(file: SafeTensorsFile, weight: String, bias biasName: String) throws {
        let tensor = try file.tensor(weight)
        guard tensor.shape.count == 2 else {
            throw EngineError.unexpectedShape(path: file.path, name: weight, expected: [1000, -1], found: tensor.shape)
        }
        classes = tensor.shape[0]
        features = tensor.shape[1]
        weights = tensor.values
        bias = try file.tensor(biasName, shape: [classes]).values
    }

    /// x: `[batch × pixels × features]` → pooled: `[batch × features]` → logits: `[batch × classes]`.
    func forward(
        _ x: UnsafePointer<Float>, batch: Int, pixels: Int,
        pooled: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>
    ) {
        let features = self.features, classes = self.classes
        for image in 0..<batch {
            let out = pooled + image * features
            for f in 0..<features { out[f] = 0 }
            for pixel in 0..<pixels {
                let row = x + (image * pixels + pixel) * features
                for f in 0..<features { out[f] += row[f] }
            }
            let scale = 1 / Float(pixels)
            for f in 0..<features { out[f] *= scale }
        }
        weights.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                Compute.gemm(m: batch, n: classes, k: features, a: pooled, b: w.baseAddress!, transposeB: true, c: logits) { rows, columns in
                    Compute.addBias(logits, ldc: classes, rows: rows, columns: columns, bias: b.baseAddress!, relu6: false)
                }
            }
        }
    }

    /// dlogits: `[batch × classes]` → dpooled (scratch `[batch × features]`) → dx: every pixel of
    /// an image receives its image's dpooled / pixels.
    func backward(
        logitGradient dlogits: UnsafePointer<Float>, batch: Int, pixels: Int,
        pooledGradient dpooled: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>
    ) {
        let features = self.features
        weights.withUnsafeBufferPointer { w in
            Compute.gemm(m: batch, n: features, k: classes, a: dlogits, b: w.baseAddress!, transposeB: false, c: dpooled)
        }
        let scale = 1 / Float(pixels)
        for image in 0..<batch {
            let source = dpooled + image * features
            for pixel in 0..<pixels {
                let row = dx + (image * pixels + pixel) * features
                for f in 0..<features { row[f] = source[f] * scale }
            }
        }
    }
}
