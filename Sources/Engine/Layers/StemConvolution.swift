/// The first layer: a full k×k convolution over the 3 colour channels with stride 2, TF SAME
/// padding, folded BatchNorm and ReLU6. With only 3 input channels it is cheapest as an im2col
/// copy, `cols[pixels × (k·k·3)]`, followed by one matrix product.
struct StemConvolution: Sendable {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let stride = 2
    /// `[out × (ky, kx, in)]`, matching the column order of `cols`, scale folded.
    let weights: [Float]
    /// `[out]`
    let bias: [Float]

    init(file: SafeTensorsFile, weight name: String, batchNorm: String) throws {
        let tensor = try file.tensor(name)
        guard tensor.shape.count == 4, tensor.shape[2] == tensor.shape[3] else {
            throw EngineError.unexpectedShape(path: file.path, name: name, expected: [-1, 3, 3, 3], found: tensor.shape)
        }
        outChannels = tensor.shape[0]
        inChannels = tensor.shape[1]
        kernel = tensor.shape[2]
        let folded = try FoldedConvolution(weights: tensor, batchNorm: batchNorm, from: file)
        // OIHW → O(H W I)
        var reordered = [Float](repeating: 0, count: folded.weights.count)
        for o in 0..<outChannels {
            for i in 0..<inChannels {
                for ky in 0..<kernel {
                    for kx in 0..<kernel {
                        reordered[((o * kernel + ky) * kernel + kx) * inChannels + i] =
                            folded.weights[((o * inChannels + i) * kernel + ky) * kernel + kx]
                    }
                }
            }
        }
        weights = reordered
        bias = folded.bias
    }

    var columnsPerPixel: Int { kernel * kernel * inChannels }
    func outputSide(_ inputSide: Int) -> Int { (inputSide + stride - 1) / stride }
    func padBefore(_ inputSide: Int) -> Int {
        max((outputSide(inputSide) - 1) * stride + kernel - inputSide, 0) / 2
    }

    /// x: `[batch × side × side × in]` → y: `[batch × out × out × outChannels]`;
    /// `cols` is scratch of `batch · out² · columnsPerPixel` floats.
    func forward(
        _ x: UnsafePointer<Float>, batch: Int, side: Int,
        columns cols: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>
    ) {
        let outSide = outputSide(side), pad = padBefore(side)
        let kernel = self.kernel, stride = self.stride, inChannels = self.inChannels, width = columnsPerPixel
        let rowCount = batch * outSide
        let parts = min(Compute.threadCount, rowCount)
        Compute.parallel(parts) { part in
            for row in Compute.chunk(part, of: parts, total: rowCount) {
                let image = row / outSide, outY = row % outSide
                for outX in 0..<outSide {
                    let column = cols + (row * outSide + outX) * width
                    for ky in 0..<kernel {
                        let inY = outY * stride + ky - pad
                        for kx in 0..<kernel {
                            let inX = outX * stride + kx - pad
                            let slot = column + (ky * kernel + kx) * inChannels
                            if inY < 0 || inY >= side || inX < 0 || inX >= side {
                                for i in 0..<inChannels { slot[i] = 0 }
                            } else {
                                let pixel = x + ((image * side + inY) * side + inX) * inChannels
                                for i in 0..<inChannels { slot[i] = pixel[i] }
                            }
                        }
                    }
                }
            }
        }
        let outChannels = self.outChannels
        weights.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                Compute.gemm(m: rowCount * outSide, n: outChannels, k: width, a: cols, b: w.baseAddress!, transposeB: true, c: y) { rows, columns in
                    Compute.addBias(y, ldc: outChannels, rows: rows, columns: columns, bias: b.baseAddress!, relu6: true)
                }
            }
        }
    }

    /// dy (masked in place by ReLU6, read off `y`, unless `outputGradientIsMasked`) → dcols
    /// (`cols` scratch) → dx by summing every column entry back onto the pixel it was copied
    /// from (a gather per input row, so workers write disjoint rows).
    func backward(
        outputGradient dy: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>,
        batch: Int, side: Int, columns dcols: UnsafeMutablePointer<Float>,
        inputGradient dx: UnsafeMutablePointer<Float>, outputGradientIsMasked: Bool = false
    ) {
        let outSide = outputSide(side), pad = padBefore(side)
        let width = columnsPerPixel
        let outChannels = self.outChannels
        weights.withUnsafeBufferPointer { w in
            Compute.gemm(m: batch * outSide * outSide, n: width, k: outChannels, a: dy, b: w.baseAddress!, transposeB: false, c: dcols,
                         prologue: outputGradientIsMasked ? nil : { rows in
                             Compute.maskReLU6(dy, output: y, range: rows.lowerBound * outChannels..<rows.upperBound * outChannels)
                         })
        }
        let rowCount = batch * side
        let parts = min(Compute.threadCount, rowCount)
        Compute.parallel(parts) { part in
            let rows = Compute.chunk(part, of: parts, total: rowCount)
            // The stride is 2 (a literal, so the tap arithmetic is shifts) and RGB the usual input.
            if inChannels == 3 {
                gatherColumns(rows, stride: 2, inChannels: 3, side: side, outSide: outSide, pad: pad, dcols: dcols, dx: dx)
            } else {
                gatherColumns(rows, stride: 2, inChannels: inChannels, side: side, outSide: outSide, pad: pad, dcols: dcols, dx: dx)
            }
        }
    }

    /// The taps through which input coordinate `input` reaches an output: taps
    /// `first + j·stride` for `j` in `js`, reaching output `base − j`. Once per row or column.
    @inline(__always)
    private func backwardTaps(input: Int, pad: Int, outSide: Int, stride: Int) -> (first: Int, base: Int, js: ClosedRange<Int>?) {
        let shifted = input + pad
        let first = shifted % stride, base = shifted / stride
        // (With stride > kernel, `first` can be past the last tap: then no tap reaches the input.)
        let low = max(0, base - outSide + 1), high = first < kernel ? min(base, (kernel - 1 - first) / stride) : -1
        return (first, base, low <= high ? low...high : nil)
    }

    /// Rows `rows` (of `batch · side`) of dx from dcols, `[pixels × (ky, kx, in)]`.
    @inline(__always)
    private func gatherColumns(
        _ rows: Range<Int>, stride: Int, inChannels: Int, side: Int, outSide: Int, pad: Int,
        dcols: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>
    ) {
        let kernel = self.kernel, width = kernel * kernel * inChannels
        for row in rows {
            let image = row / side, inY = row % side
            let (firstY, baseY, jsY) = backwardTaps(input: inY, pad: pad, outSide: outSide, stride: stride)
            for inX in 0..<side {
                let pixel = dx + (row * side + inX) * inChannels
                for i in 0..<inChannels { pixel[i] = 0 }
                let (firstX, baseX, jsX) = backwardTaps(input: inX, pad: pad, outSide: outSide, stride: stride)
                guard let jsY, let jsX else { continue }
                // Tap (jy, jx): output (baseY − jy, baseX − jx), column slot (firstY + jy·stride, firstX + jx·stride).
                let corner = dcols + ((image * outSide + baseY) * outSide + baseX) * width + (firstY * kernel + firstX) * inChannels
                let rowStep = outSide * width - stride * kernel * inChannels, tapStep = width - stride * inChannels
                for jy in jsY {
                    for jx in jsX {
                        let slot = corner - jy * rowStep - jx * tapStep
                        for i in 0..<inChannels { pixel[i] += slot[i] }
                    }
                }
            }
        }
    }
}
