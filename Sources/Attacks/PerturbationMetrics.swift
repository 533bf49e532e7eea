import Foundation

/// How far an image moved from the original and how different it looks, measured on 8-bit values.
public struct PerturbationMetrics: Codable, Sendable, Hashable {
    /// Largest change of any value, in grey levels (0...255).
    public var linfGreyLevels: Int
    /// Largest change on the [0,1] scale (`linfGreyLevels / 255`).
    public var linf: Double
    /// Euclidean norm of the change over all `side × side × 3` values, in grey levels.
    public var l2GreyLevels: Double
    /// Euclidean norm on the [0,1] scale (`l2GreyLevels / 255`).
    public var l2: Double
    /// Peak signal-to-noise ratio in dB, peak 255, over all values. Absent (nil) for identical
    /// images, where it is +∞.
    public var psnr: Double?
    /// Mean structural similarity, see ``structuralSimilarity(_:_:width:height:channels:)``.
    /// nil when the image is smaller than the 11 × 11 window.
    public var ssim: Double?

    /// Measures `adversarial` against `original`, both 8-bit `height × width × channels`.
    /// The two arrays must have the same length.
    public init(original: [UInt8], adversarial: [UInt8], width: Int, height: Int, channels: Int = 3) {
        precondition(original.count == adversarial.count, "images of different sizes")
        var largest = 0
        var sumOfSquares = 0.0
        for index in original.indices {
            let difference = Int(adversarial[index]) - Int(original[index])
            largest = max(largest, abs(difference))
            sumOfSquares += Double(difference * difference)
        }
        linfGreyLevels = largest
        linf = Double(largest) / 255
        l2GreyLevels = sumOfSquares.squareRoot()
        l2 = l2GreyLevels / 255
        psnr = peakSignalToNoiseRatio(sumOfSquaredDifferences: sumOfSquares, valueCount: original.count)
        ssim = structuralSimilarity(original, adversarial, width: width, height: height, channels: channels)
    }
}

/// PSNR in dB with peak 255: 10 · log10(255² / MSE); nil when the images are identical (MSE 0).
public func peakSignalToNoiseRatio(_ original: [UInt8], _ other: [UInt8]) -> Double? {
    precondition(original.count == other.count, "images of different sizes")
    var sum = 0.0
    for index in original.indices {
        let difference = Double(Int(other[index]) - Int(original[index]))
        sum += difference * difference
    }
    return peakSignalToNoiseRatio(sumOfSquaredDifferences: sum, valueCount: original.count)
}

func peakSignalToNoiseRatio(sumOfSquaredDifferences sum: Double, valueCount: Int) -> Double? {
    guard sum > 0, valueCount > 0 else { return nil }
    let meanSquaredError = sum / Double(valueCount)
    return 10 * log10(255 * 255 / meanSquaredError)
}

/// Mean SSIM (Wang, Bovik, Sheikh and Simoncelli 2004) of two 8-bit images, `height × width ×
/// channels` interleaved.
///
/// Exactly what is computed, per channel, on the 8-bit values as Double:
/// - local means μx, μy, variances σx², σy² and covariance σxy from a Gaussian window of
///   σ = 1.5 truncated at 3.5σ (11 × 11, weights normalised to sum 1), with population
///   (not sample) statistics: σx² = E_w[x²] − μx²;
/// - SSIM map = ((2μxμy + C1)(2σxy + C2)) / ((μx² + μy² + C1)(σx² + σy² + C2)),
///   C1 = (0.01·255)², C2 = (0.03·255)²;
/// - the mean of the map over the positions whose whole window lies inside the image (5 pixels
///   are left out on every side).
///
/// The result is the average over channels. This is scikit-image's
/// `structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
/// data_range=255, channel_axis=-1)`, the setting of the SSIM paper. Returns nil when the image is
/// smaller than the 11 × 11 window.
public func structuralSimilarity(
    _ first: [UInt8], _ second: [UInt8], width: Int, height: Int, channels: Int
) -> Double? {
    let radius = 5
    let windowSide = 2 * radius + 1
    guard width >= windowSide, height >= windowSide, channels > 0,
          first.count == width * height * channels, second.count == first.count else { return nil }

    // Gaussian weights w[k], k = −5...5, σ = 1.5, normalised.
    let sigma = 1.5
    var weights = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
    let weightSum = weights.reduce(0, +)
    weights = weights.map { $0 / weightSum }

    let c1 = (0.01 * 255.0) * (0.01 * 255.0)
    let c2 = (0.03 * 255.0) * (0.03 * 255.0)
    let innerWidth = width - 2 * radius, innerHeight = height - 2 * radius

    // Horizontal pass results for the five statistics, `height × innerWidth`:
    // x, y, x², y², xy filtered along each row at the columns whose window fits.
    var rows = [[Double]](repeating: [Double](repeating: 0, count: height * innerWidth), count: 5)
    var total = 0.0
    for channel in 0..<channels {
        for row in 0..<height {
            for column in 0..<innerWidth {
                var sums = (0.0, 0.0, 0.0, 0.0, 0.0)
                for k in 0..<windowSide {
                    let index = (row * width + column + k) * channels + channel
                    let x = Double(first[index]), y = Double(second[index]), w = weights[k]
                    sums.0 += w * x
                    sums.1 += w * y
                    sums.2 += w * x * x
                    sums.3 += w * y * y
                    sums.4 += w * x * y
                }
                let at = row * innerWidth + column
                rows[0][at] = sums.0; rows[1][at] = sums.1; rows[2][at] = sums.2
                rows[3][at] = sums.3; rows[4][at] = sums.4
            }
        }
        // Vertical pass at the rows whose window fits, then the SSIM map and its mean.
        var channelSum = 0.0
        for row in 0..<innerHeight {
            for column in 0..<innerWidth {
                var sums = (0.0, 0.0, 0.0, 0.0, 0.0)
                for k in 0..<windowSide {
                    let at = (row + k) * innerWidth + column
                    let w = weights[k]
                    sums.0 += w * rows[0][at]
                    sums.1 += w * rows[1][at]
                    sums.2 += w * rows[2][at]
                    sums.3 += w * rows[3][at]
                    sums.4 += w * rows[4][at]
                }
                let (meanX, meanY) = (sums.0, sums.1)
                let varianceX = sums.2 - meanX * meanX
                let varianceY = sums.3 - meanY * meanY
                let covariance = sums.4 - meanX * meanY
                channelSum += ((2 * meanX * meanY + c1) * (2 * covariance + c2))
                    / ((meanX * meanX + meanY * meanY + c1) * (varianceX + varianceY + c2))
            }
        }
        total += channelSum / Double(innerWidth * innerHeight)
    }
    return total / Double(channels)
}
