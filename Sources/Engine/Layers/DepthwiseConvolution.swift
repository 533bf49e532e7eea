/// A k×k depthwise convolution with TensorFlow "SAME" padding, folded BatchNorm and ReLU6.
/// In NHWC the channels of a pixel are contiguous, so every tap is a vector multiply-add over
/// channels. SAME padding pads `total / 2` before and the rest after, so for stride 2 on an even
/// size the extra row and column go at the bottom and right.
struct DepthwiseConvolution: Sendable {
    let channels: Int
    let kernel: Int
    let stride: Int
    /// `[kernel·kernel × channels]` (tap-major, so a tap's weights are contiguous), scale folded.
    let weights: [Float]
    /// `[channels]`
    let bias: [Float]

    init(file: SafeTensorsFile, weight name: String, batchNorm: String, stride: Int) throws {
        let tensor = try file.tensor(name)
        guard tensor.shape.count == 4, tensor.shape[1] == 1, tensor.shape[2] == tensor.shape[3] else {
            throw EngineError.unexpectedShape(path: file.path, name: name, expected: [-1, 1, -1, -1], found: tensor.shape)
        }
        channels = tensor.shape[0]
        kernel = tensor.shape[2]
        self.stride = stride
        let folded = try FoldedConvolution(weights: tensor, batchNorm: batchNorm, from: file)
        let taps = kernel * kernel
        var tapMajor = [Float](repeating: 0, count: taps * channels)
        for channel in 0..<channels {
            for tap in 0..<taps { tapMajor[tap * channels + channel] = folded.weights[channel * taps + tap] }
        }
        weights = tapMajor
        bias = folded.bias
    }

    func outputSide(_ inputSide: Int) -> Int { (inputSide + stride - 1) / stride }

    /// Padding before the first row (or column) for an input of this side.
    func padBefore(_ inputSide: Int) -> Int {
        max((outputSide(inputSide) - 1) * stride + kernel - inputSide, 0) / 2
    }

    /// x: `[batch × side × side × channels]` → y: `[batch × out × out × channels]`, ReLU6 applied.
    func forward(_ x: UnsafePointer<Float>, batch: Int, side: Int, into y: UnsafeMutablePointer<Float>) {
        let outSide = outputSide(side), pad = padBefore(side)
        let channels = self.channels, kernel = self.kernel, stride = self.stride
        let rowCount = batch * outSide
        weights.withUnsafeBufferPointer { wBuffer in
            bias.withUnsafeBufferPointer { bBuffer in
                let w = wBuffer.baseAddress!, b = bBuffer.baseAddress!
                let parts = min(Compute.threadCount, rowCount)
                Compute.parallel(parts) { part in
                    for row in Compute.chunk(part, of: parts, total: rowCount) {
                        let image = row / outSide, outY = row % outSide
                        let inputImage = x + image * side * side * channels
                        for outX in 0..<outSide {
                            let out = y + (row * outSide + outX) * channels
                            var c = 0
                            while c < channels {
                                let width = min(16, channels - c)
                                var acc = SIMD16<Float>(repeating: 0)
                                if width == 16 {
                                    acc = UnsafeRawPointer(b + c).loadUnaligned(as: SIMD16<Float>.self)
                                    for ky in 0..<kernel {
                                        let inY = outY * stride + ky - pad
                                        if inY < 0 || inY >= side { continue }
                                        for kx in 0..<kernel {
                                            let inX = outX * stride + kx - pad
                                            if inX < 0 || inX >= side { continue }
                                            let pixel = UnsafeRawPointer(inputImage + (inY * side + inX) * channels + c)
                                                .loadUnaligned(as: SIMD16<Float>.self)
                                            let tap = UnsafeRawPointer(w + (ky * kernel + kx) * channels + c)
                                                .loadUnaligned(as: SIMD16<Float>.self)
                                            acc += pixel * tap
                                        }
                                    }
                                    acc = acc.clamped(lowerBound: .zero, upperBound: SIMD16(repeating: 6))
                                    UnsafeMutableRawPointer(out + c).storeBytes(of: acc, as: SIMD16<Float>.self)
                                } else {
                                    for channel in c..<(c + width) {
                                        var sum = b[channel]
                                        for ky in 0..<kernel {
                                            let inY = outY * stride + ky - pad
                                            if inY < 0 || inY >= side { continue }
                                            for kx in 0..<kernel {
                                                let inX = outX * stride + kx - pad
                                                if inX < 0 || inX >= side { continue }
                                                sum += inputImage[(inY * side + inX) * channels + channel]
                                                    * w[(ky * kernel + kx) * channels + channel]
                                            }
                                        }
                                        out[channel] = min(max(sum, 0), 6)
                                    }
                                }
                                c += width
                            }
                        }
                    }
                }
            }
        }
    }

    /// dy: `[batch × out × out × channels]`, multiplied in place by ReLU6's mask read off `y`
    /// → dx: `[batch × side × side × channels]`. Written as a gather over the taps that reach each
    /// input pixel, so that workers own disjoint rows of dx and need no locks.
    func backward(
        outputGradient dy: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>,
        batch: Int, side: Int, inputGradient dx: UnsafeMutablePointer<Float>
    ) {
        let outSide = outputSide(side), pad = padBefore(side)
        let channels = self.channels, kernel = self.kernel, stride = self.stride
        let outCount = batch * outSide * outSide * channels
        let parts = Compute.threadCount
        Compute.parallel(parts) { part in
            Compute.maskReLU6(dy, output: y, range: Compute.chunk(part, of: parts, total: outCount, granule: 16))
        }
        let rowCount = batch * side
        weights.withUnsafeBufferPointer { wBuffer in
            let w = wBuffer.baseAddress!
            let rowParts = min(parts, rowCount)
            Compute.parallel(rowParts) { part in
                for row in Compute.chunk(part, of: rowParts, total: rowCount) {
                    let image = row / side, inY = row % side
                    let gradientImage = dy + image * outSide * outSide * channels
                    for inX in 0..<side {
                        let out = dx + (row * side + inX) * channels
                        var c = 0
                        while c < channels {
                            let width = min(16, channels - c)
                            if width == 16 {
                                var acc = SIMD16<Float>(repeating: 0)
                                for ky in 0..<kernel {
                                    let t = inY + pad - ky
                                    if t < 0 || t % stride != 0 { continue }
                                    let outY = t / stride
                                    if outY >= outSide { continue }
                                    for kx in 0..<kernel {
                                        let u = inX + pad - kx
                                        if u < 0 || u % stride != 0 { continue }
                                        let outX = u / stride
                                        if outX >= outSide { continue }
                                        let g = UnsafeRawPointer(gradientImage + (outY * outSide + outX) * channels + c)
                                            .loadUnaligned(as: SIMD16<Float>.self)
                                        let tap = UnsafeRawPointer(w + (ky * kernel + kx) * channels + c)
                                            .loadUnaligned(as: SIMD16<Float>.self)
                                        acc += g * tap
                                    }
                                }
                                UnsafeMutableRawPointer(out + c).storeBytes(of: acc, as: SIMD16<Float>.self)
                            } else {
                                for channel in c..<(c + width) {
                                    var sum: Float = 0
                                    for ky in 0..<kernel {
                                        let t = inY + pad - ky
                                        if t < 0 || t % stride != 0 { continue }
                                        let outY = t / stride
                                        if outY >= outSide { continue }
                                        for kx in 0..<kernel {
                                            let u = inX + pad - kx
                                            if u < 0 || u % stride != 0 { continue }
                                            let outX = u / stride
                                            if outX >= outSide { continue }
                                            sum += gradientImage[(outY * outSide + outX) * channels + channel]
                                                * w[(ky * kernel + kx) * channels + channel]
                                        }
                                    }
                                    out[channel] = sum
                                }
                            }
                            c += width
                        }
                    }
                }
            }
        }
    }
}
