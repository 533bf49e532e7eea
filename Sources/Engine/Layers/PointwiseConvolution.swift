/// A 1×1 convolution with folded BatchNorm and optional ReLU6: in NHWC it is one matrix product,
/// `y[pixels × out] = x[pixels × in] · Wᵀ + b`, where `W` is `[out × in]`.
struct PointwiseConvolution: Sendable {
    let inChannels: Int
    let outChannels: Int
    /// `[out × in]`, BatchNorm scale folded in.
    let weights: [Float]
    /// `[out]`
    let bias: [Float]
    let relu6: Bool

    init(file: SafeTensorsFile, weight name: String, batchNorm: String, relu6: Bool) throws {
        let tensor = try file.tensor(name)
        guard tensor.shape.count == 4, tensor.shape[2] == 1, tensor.shape[3] == 1 else {
            throw EngineError.unexpectedShape(path: file.path, name: name, expected: [-1, -1, 1, 1], found: tensor.shape)
        }
        outChannels = tensor.shape[0]
        inChannels = tensor.shape[1]
        let folded = try FoldedConvolution(weights: tensor, batchNorm: batchNorm, from: file)
        weights = folded.weights
        bias = folded.bias
        self.relu6 = relu6
    }

    /// x: `[pixels × in]` → y: `[pixels × out]`; `residual` (`[pixels × out]`) is added last.
    func forward(
        _ x: UnsafePointer<Float>, pixels: Int, into y: UnsafeMutablePointer<Float>,
        residual: UnsafePointer<Float>? = nil
    ) {
        weights.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                Compute.gemm(m: pixels, n: outChannels, k: inChannels, a: x, b: w.baseAddress!, transposeB: true, c: y) { rows, columns in
                    Compute.addBias(y, ldc: outChannels, rows: rows, columns: columns, bias: b.baseAddress!, relu6: relu6)
                    if let residual {
                        for row in rows {
                            let line = y + row * outChannels, skip = residual + row * outChannels
                            for j in columns { line[j] += skip[j] }
                        }
                    }
                }
            }
        }
    }

    /// dy: `[pixels × out]` (multiplied in place by ReLU6's mask, read off `y`, unless the
    /// caller has done that already: `outputGradientIsMasked`) → dx: `[pixels × in]`. With
    /// `inputMask` (this layer's input, when it is a ReLU6 output) dx is multiplied by that mask
    /// block by block as the product finishes, while the block is still in cache, which saves
    /// the next layer a pass over memory.
    func backward(
        outputGradient dy: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>,
        pixels: Int, inputGradient dx: UnsafeMutablePointer<Float>,
        outputGradientIsMasked: Bool = false, inputMask: UnsafePointer<Float>? = nil
    ) {
        let outChannels = self.outChannels, inChannels = self.inChannels
        let mask: ((Range<Int>) -> Void)? = relu6 && !outputGradientIsMasked ? { rows in
            Compute.maskReLU6(dy, output: y, range: rows.lowerBound * outChannels..<rows.upperBound * outChannels)
        } : nil
        weights.withUnsafeBufferPointer { w in
            Compute.gemm(m: pixels, n: inChannels, k: outChannels, a: dy, b: w.baseAddress!, transposeB: false, c: dx,
                         epilogue: { rows, columns in
                             guard let inputMask else { return }
                             if columns.count == inChannels {
                                 Compute.maskReLU6(dx, output: inputMask, range: rows.lowerBound * inChannels..<rows.upperBound * inChannels)
                             } else {
                                 for row in rows {
                                     let base = row * inChannels
                                     Compute.maskReLU6(dx, output: inputMask,
                                                       range: (base + columns.lowerBound)..<(base + columns.upperBound))
                                 }
                             }
                         },
                         prologue: mask)
        }
    }
}
