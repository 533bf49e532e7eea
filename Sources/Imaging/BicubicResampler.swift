/// A reimplementation of Pillow's separable resampling for 8-bit images with its bicubic
/// filter, arranged so that every floating-point and integer operation that affects the
/// result happens in the same order as in Pillow, which makes the output bit-exact:
///
/// 1. For each output column (and, separately, row) the filter is centred on the output
///    pixel's centre mapped into the input. When shrinking, the filter is stretched by the
///    scale factor, which is what makes downscaling antialiased.
/// 2. The weights are normalised to sum to 1 and turned into fixed point with 22 fractional
///    bits, leaving 2 bits of headroom for the filter's overshoot in 32-bit sums.
/// 3. One pass rounds to 8 bits and the other works on those 8-bit values, so the order of
///    the passes changes the result. Pillow runs the horizontal pass first, except (since
///    Pillow 13) when the height shrinks by more than twice as many pixels as the width:
///    then the vertical pass goes first. Older Pillow always goes horizontal first, so for
///    such sizes, and only those, its output differs from ours by a few levels.
/// 4. Each sum starts at one half (for rounding) and is clamped to 0...255 after shifting.
/// A pass whose dimension does not change is skipped.
enum BicubicResampler {
    static let fractionBits = 22

    /// Keys' cubic convolution kernel with a = -0.5, written with the same operation order
    /// as Pillow's so the weights round identically.
    static func kernel(_ distance: Double) -> Double {
        let a = -0.5
        let x = distance < 0 ? -distance : distance
        if x < 1 {
            return ((a + 2) * x - (a + 3)) * x * x + 1
        }
        if x < 2 {
            return (((x - 5) * x + 8) * x - 4) * a
        }
        return 0
    }

    /// Which input samples, with which fixed-point weights, make each output sample along
    /// one axis. Every output sample has `stride` weight slots, of which the first
    /// `inputCounts[i]` are used, starting at input index `firstInputs[i]`.
    struct Weights {
        var firstInputs: [Int]
        var inputCounts: [Int]
        var stride: Int
        var fixedPoint: [Int32]

        init(inputLength: Int, outputLength: Int) {
            let scale = Double(inputLength) / Double(outputLength)
            let filterScale = max(scale, 1)
            let support = 2 * filterScale
            stride = Int(support.rounded(.up)) * 2 + 1
            firstInputs = [Int](repeating: 0, count: outputLength)
            inputCounts = [Int](repeating: 0, count: outputLength)
            fixedPoint = [Int32](repeating: 0, count: outputLength * stride)

            let inverseFilterScale = 1 / filterScale
            var weights = [Double](repeating: 0, count: stride)
            for output in 0..<outputLength {
                let center = (Double(output) + 0.5) * scale
                // Truncation toward zero, as C's cast does; negatives are clamped anyway.
                let first = max(Int(center - support + 0.5), 0)
                let end = min(Int(center + support + 0.5), inputLength)
                let count = end - first
                var total = 0.0
                for tap in 0..<count {
                    let weight = kernel((Double(first + tap) - center + 0.5) * inverseFilterScale)
                    weights[tap] = weight
                    total += weight
                }
                for tap in 0..<count {
                    let normalised = total != 0 ? weights[tap] / total : weights[tap]
                    fixedPoint[output * stride + tap] = Self.toFixedPoint(normalised)
                }
                firstInputs[output] = first
                inputCounts[output] = count
            }
        }

        /// Rounds half away from zero, then truncates like C's cast to int.
        static func toFixedPoint(_ weight: Double) -> Int32 {
            let scaled = weight * Double(1 << BicubicResampler.fractionBits)
            return Int32(weight < 0 ? -0.5 + scaled : 0.5 + scaled)
        }
    }

    /// Converts a fixed-point sum to a byte: floor division (an arithmetic shift), then
    /// clamping, since the kernel's negative lobes can overshoot either end.
    @inline(__always)
    static func clampToByte(_ sum: Int) -> UInt8 {
        let value = sum >> fractionBits
        return UInt8(value < 0 ? 0 : (value > 255 ? 255 : value))
    }

    static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        let needsHorizontal = width != image.width
        let needsVertical = height != image.height
        if !needsHorizontal && !needsVertical { return image }
        let horizontal = Weights(inputLength: image.width, outputLength: width)
        let vertical = Weights(inputLength: image.height, outputLength: height)
        if !needsVertical {
            return resizeRows(image, rows: 0..<image.height, width: width, weights: horizontal)
        }
        if !needsHorizontal {
            return resizeColumns(image, firstRow: 0, height: height, weights: vertical)
        }
        if verticalPassGoesFirst(from: image, width: width, height: height) {
            let shortened = resizeColumns(image, firstRow: 0, height: height, weights: vertical)
            return resizeRows(shortened, rows: 0..<height, width: width, weights: horizontal)
        }
        // Only the rows the vertical pass reads; the rest would be thrown away.
        let firstRow = vertical.firstInputs[0]
        let endRow = vertical.firstInputs[height - 1] + vertical.inputCounts[height - 1]
        let narrowed = resizeRows(image, rows: firstRow..<endRow, width: width, weights: horizontal)
        return resizeColumns(narrowed, firstRow: firstRow, height: height, weights: vertical)
    }

    /// Pillow 13's rule (found by comparing both orders against it on hundreds of sizes,
    /// boundaries included): vertical first when the height shrinks by more than twice
    /// as many pixels as the width does.
    static func verticalPassGoesFirst(from image: RGBImage, width: Int, height: Int) -> Bool {
        height < image.height && image.height - height > 2 * (image.width - width)
    }

    /// Horizontal pass over `rows` of `image`, producing an image `rows.count` tall.
    private static func resizeRows(_ image: RGBImage, rows: Range<Int>, width: Int, weights: Weights) -> RGBImage {
        let channels = RGBImage.channels
        let half = 1 << (fractionBits - 1)
        var output = [UInt8](repeating: 0, count: width * rows.count * channels)
        image.pixels.withUnsafeBufferPointer { source in
            weights.fixedPoint.withUnsafeBufferPointer { coefficients in
                output.withUnsafeMutableBufferPointer { destination in
                    for (outputRow, inputRow) in rows.enumerated() {
                        let sourceRow = inputRow * image.width * channels
                        let destinationRow = outputRow * width * channels
                        for column in 0..<width {
                            let first = weights.firstInputs[column]
                            let taps = column * weights.stride
                            var red = half, green = half, blue = half
                            var sample = sourceRow + first * channels
                            for tap in 0..<weights.inputCounts[column] {
                                let weight = Int(coefficients[taps + tap])
                                red += Int(source[sample]) * weight
                                green += Int(source[sample + 1]) * weight
                                blue += Int(source[sample + 2]) * weight
                                sample += channels
                            }
                            let target = destinationRow + column * channels
                            destination[target] = clampToByte(red)
                            destination[target + 1] = clampToByte(green)
                            destination[target + 2] = clampToByte(blue)
                        }
                    }
                }
            }
        }
        return RGBImage(width: width, height: rows.count, pixels: output)
    }

    /// Vertical pass; `firstRow` is the input row that `image`'s row 0 came from.
    private static func resizeColumns(_ image: RGBImage, firstRow: Int, height: Int, weights: Weights) -> RGBImage {
        let channels = RGBImage.channels
        let half = 1 << (fractionBits - 1)
        let rowLength = image.width * channels
        var output = [UInt8](repeating: 0, count: rowLength * height)
        image.pixels.withUnsafeBufferPointer { source in
            weights.fixedPoint.withUnsafeBufferPointer { coefficients in
                output.withUnsafeMutableBufferPointer { destination in
                    for row in 0..<height {
                        let first = weights.firstInputs[row] - firstRow
                        let count = weights.inputCounts[row]
                        let taps = row * weights.stride
                        for position in 0..<rowLength {
                            var sum = half
                            var sample = first * rowLength + position
                            for tap in 0..<count {
                                sum += Int(source[sample]) * Int(coefficients[taps + tap])
                                sample += rowLength
                            }
                            destination[row * rowLength + position] = clampToByte(sum)
                        }
                    }
                }
            }
        }
        return RGBImage(width: image.width, height: height, pixels: output)
    }
}
