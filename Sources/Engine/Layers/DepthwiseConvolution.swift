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

    /// The taps of one output position that land inside the image: `tap` runs over
    /// `taps`, reading input coordinate `origin + tap` (origin = output · stride − pad).
    @inline(__always)
    private func forwardTaps(output: Int, pad: Int, side: Int) -> (origin: Int, taps: Range<Int>) {
        let origin = output * stride - pad
        return (origin, max(0, -origin)..<min(kernel, side - origin))
    }

    /// x: `[batch × side × side × channels]` → y: `[batch × out × out × channels]`, ReLU6 applied.
    func forward(_ x: UnsafePointer<Float>, batch: Int, side: Int, into y: UnsafeMutablePointer<Float>) {
        let outSide = outputSide(side), pad = padBefore(side)
        let channels = self.channels, kernel = self.kernel
        let rowCount = batch * outSide
        let vectorChannels = channels / 16 * 16
        weights.withUnsafeBufferPointer { wBuffer in
            bias.withUnsafeBufferPointer { bBuffer in
                let w = wBuffer.baseAddress!, b = bBuffer.baseAddress!
                let parts = min(Compute.threadCount, rowCount)
                Compute.parallel(parts) { part in
                    for row in Compute.chunk(part, of: parts, total: rowCount) {
                        let image = row / outSide, outY = row % outSide
                        let inputImage = x + image * side * side * channels
                        let (originY, tapsY) = forwardTaps(output: outY, pad: pad, side: side)
                        for outX in 0..<outSide {
                            let out = y + (row * outSide + outX) * channels
                            let (originX, tapsX) = forwardTaps(output: outX, pad: pad, side: side)
                            var c = 0
                            while c < vectorChannels {
                                var acc = UnsafeRawPointer(b + c).loadUnaligned(as: SIMD16<Float>.self)
                                for ky in tapsY {
                                    let inputRow = inputImage + (originY + ky) * side * channels + c
                                    let weightRow = w + ky * kernel * channels + c
                                    for kx in tapsX {
                                        let pixel = UnsafeRawPointer(inputRow + (originX + kx) * channels).loadUnaligned(as: SIMD16<Float>.self)
                                        let tap = UnsafeRawPointer(weightRow + kx * channels).loadUnaligned(as: SIMD16<Float>.self)
                                        acc += pixel * tap
                                    }
                                }
                                UnsafeMutableRawPointer(out + c).storeBytes(of: acc, as: SIMD16<Float>.self)
                                c += 16
                            }
                            for channel in vectorChannels..<channels {
                                var sum = b[channel]
                                for ky in tapsY {
                                    for kx in tapsX {
                                        sum += inputImage[((originY + ky) * side + originX + kx) * channels + channel]
                                            * w[(ky * kernel + kx) * channels + channel]
                                    }
                                }
                                out[channel] = sum
                            }
                            Compute.clampReLU6(out, count: channels)
                        }
                    }
                }
            }
        }
    }

    /// The taps through which input coordinate `input` reaches an output: `tap` runs over
    /// `first, first + stride, …` below `kernel`, reaching output `(input + pad − tap) / stride`,
    /// limited to outputs in `0..<outSide`.
    @inline(__always)
    private func backwardTaps(input: Int, pad: Int, outSide: Int) -> StrideTo<Int> {
        let shifted = input + pad
        // Largest output reached is shifted / stride at the smallest tap; keep outputs < outSide.
        var first = shifted % stride
        let lowestTapForRange = shifted - (outSide - 1) * stride
        if first < lowestTapForRange {
            first += (lowestTapForRange - first + stride - 1) / stride * stride
        }
        return Swift.stride(from: first, to: min(kernel, shifted + 1), by: stride)
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
        let vectorChannels = channels / 16 * 16
        weights.withUnsafeBufferPointer { wBuffer in
            let w = wBuffer.baseAddress!
            let rowParts = min(parts, rowCount)
            Compute.parallel(rowParts) { part in
                for row in Compute.chunk(part, of: rowParts, total: rowCount) {
                    let image = row / side, inY = row % side
                    let gradientImage = dy + image * outSide * outSide * channels
                    let tapsY = backwardTaps(input: inY, pad: pad, outSide: outSide)
                    for inX in 0..<side {
                        let out = dx + (row * side + inX) * channels
                        let tapsX = backwardTaps(input: inX, pad: pad, outSide: outSide)
                        var c = 0
                        while c < vectorChannels {
                            var acc = SIMD16<Float>(repeating: 0)
                            for ky in tapsY {
                                let outY = (inY + pad - ky) / stride
                                let gradientRow = gradientImage + outY * outSide * channels + c
                                let weightRow = w + ky * kernel * channels + c
                                for kx in tapsX {
                                    let outX = (inX + pad - kx) / stride
                                    let g = UnsafeRawPointer(gradientRow + outX * channels).loadUnaligned(as: SIMD16<Float>.self)
                                    let tap = UnsafeRawPointer(weightRow + kx * channels).loadUnaligned(as: SIMD16<Float>.self)
                                    acc += g * tap
                                }
                            }
                            UnsafeMutableRawPointer(out + c).storeBytes(of: acc, as: SIMD16<Float>.self)
                            c += 16
                        }
                        for channel in vectorChannels..<channels {
                            var sum: Float = 0
                            for ky in tapsY {
                                for kx in tapsX {
                                    let outY = (inY + pad - ky) / stride, outX = (inX + pad - kx) / stride
                                    sum += gradientImage[(outY * outSide + outX) * channels + channel]
                                        * w[(ky * kernel + kx) * channels + channel]
                                }
                            }
                            out[channel] = sum
                        }
                    }
                }
            }
        }
    }
}
