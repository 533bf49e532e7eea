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

    /// The taps through which input coordinate `input` reaches an output: taps
    /// `first + j·stride` for `j` in `js`, reaching output `base − j` (so `0 ≤ base − j < outSide`).
    /// `stride` is a literal at every call site, so the `%` and `/` here compile to shifts; they
    /// run once per input row or column, never per tap.
    @inline(__always)
    private func backwardTaps(input: Int, pad: Int, outSide: Int, stride: Int) -> (first: Int, base: Int, js: ClosedRange<Int>?) {
        let shifted = input + pad
        let first = shifted % stride, base = shifted / stride
        // (With stride > kernel, `first` can be past the last tap: then no tap reaches the input.)
        let low = max(0, base - outSide + 1), high = first < kernel ? min(base, (kernel - 1 - first) / stride) : -1
        return (first, base, low <= high ? low...high : nil)
    }

    /// dy: `[batch × out × out × channels]`, already multiplied by ReLU6's mask of this layer's
    /// output (the projection's backward does that while its product is in cache) → dx:
    /// `[batch × side × side × channels]`, multiplied by ReLU6's mask read off `inputMask` (this
    /// layer's input, when it is the output of a ReLU6) pixel by pixel while the pixel is in L1.
    /// Written as a gather over the taps that reach each input pixel, so that workers own
    /// disjoint rows of dx and need no locks.
    func backward(
        outputGradient dy: UnsafePointer<Float>, batch: Int, side: Int,
        inputMask: UnsafePointer<Float>?, inputGradient dx: UnsafeMutablePointer<Float>
    ) {
        let rowCount = batch * side
        let parts = min(Compute.threadCount, rowCount)
        weights.withUnsafeBufferPointer { wBuffer in
            let w = wBuffer.baseAddress!
            Compute.parallel(parts) { part in
                let rows = Compute.chunk(part, of: parts, total: rowCount)
                // Specialised on the two strides EfficientNet uses, so that no division is left.
                switch stride {
                case 1: gatherRows(rows, stride: 1, dy: dy, batch: batch, side: side, w: w, inputMask: inputMask, dx: dx)
                case 2: gatherRows(rows, stride: 2, dy: dy, batch: batch, side: side, w: w, inputMask: inputMask, dx: dx)
                default: gatherRows(rows, stride: stride, dy: dy, batch: batch, side: side, w: w, inputMask: inputMask, dx: dx)
                }
            }
        }
    }

    /// The rows `rows` (of `batch · side`) of dx: every tap is a pointer step, `channels` floats
    /// back in dy and `stride · channels` forward in the weights.
    @inline(__always)
    private func gatherRows(
        _ rows: Range<Int>, stride: Int, dy: UnsafePointer<Float>, batch: Int, side: Int,
        w: UnsafePointer<Float>, inputMask: UnsafePointer<Float>?, dx: UnsafeMutablePointer<Float>
    ) {
        let outSide = outputSide(side), pad = padBefore(side)
        let channels = self.channels, kernel = self.kernel
        let vectorChannels = channels / 16 * 16
        for row in rows {
            let image = row / side, inY = row % side
            let gradientImage = dy + image * outSide * outSide * channels
            let (firstY, baseY, jsY) = backwardTaps(input: inY, pad: pad, outSide: outSide, stride: stride)
            for inX in 0..<side {
                let out = dx + (row * side + inX) * channels
                let (firstX, baseX, jsX) = backwardTaps(input: inX, pad: pad, outSide: outSide, stride: stride)
                guard let jsY, let jsX else {
                    for channel in 0..<channels { out[channel] = 0 }
                    continue
                }
                // Tap (jy, jx) reads dy at (baseY − jy, baseX − jx) and weight (firstY + jy·stride, firstX + jx·stride).
                let gradientCorner = gradientImage + (baseY * outSide + baseX) * channels
                let weightCorner = w + (firstY * kernel + firstX) * channels
                let gradientRowStep = outSide * channels, weightRowStep = stride * kernel * channels
                let gradientTapStep = channels, weightTapStep = stride * channels
                var c = 0
                while c < vectorChannels {
                    var acc = SIMD16<Float>(repeating: 0)
                    for jy in jsY {
                        let gradientRow = gradientCorner - jy * gradientRowStep + c
                        let weightRow = weightCorner + jy * weightRowStep + c
                        for jx in jsX {
                            let g = UnsafeRawPointer(gradientRow - jx * gradientTapStep).loadUnaligned(as: SIMD16<Float>.self)
                            let tap = UnsafeRawPointer(weightRow + jx * weightTapStep).loadUnaligned(as: SIMD16<Float>.self)
                            acc += g * tap
                        }
                    }
                    UnsafeMutableRawPointer(out + c).storeBytes(of: acc, as: SIMD16<Float>.self)
                    c += 16
                }
                for channel in vectorChannels..<channels {
                    var sum: Float = 0
                    for jy in jsY {
                        for jx in jsX {
                            sum += gradientCorner[channel - jy * gradientRowStep - jx * gradientTapStep]
                                * weightCorner[channel + jy * weightRowStep + jx * weightTapStep]
                        }
                    }
                    out[channel] = sum
                }
                if let inputMask {
                    let pixel = (row * side + inX) * channels
                    Compute.maskReLU6(out, output: inputMask + pixel, range: 0..<channels)
                }
            }
        }
    }
}
