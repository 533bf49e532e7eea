import Imaging

/// The difference between an adversarial image and its original, in grey levels.
///
/// Both images are the saved 8-bit ones, so every δ is a whole number of grey levels in
/// −255…255 — exactly what the network saw, not the floating-point intermediate.
public struct Perturbation: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// adversarial − original per channel, row-major, RGB interleaved.
    public let deltas: [Int16]

    /// The perturbation that turns `original` into `adversarial`.
    public init(original: RGBImage, adversarial: RGBImage) throws(FigureError) {
        try Perturbation.validate(original)
        try Perturbation.validate(adversarial)
        guard original.width == adversarial.width, original.height == adversarial.height else {
            throw .imageSizeMismatch(originalWidth: original.width, originalHeight: original.height,
                                     adversarialWidth: adversarial.width, adversarialHeight: adversarial.height)
        }
        width = original.width
        height = original.height
        deltas = zip(adversarial.pixels, original.pixels).map { Int16($0) - Int16($1) }
    }

    /// A perturbation given directly (for made-up data and tests).
    public init(width: Int, height: Int, deltas: [Int16]) throws(FigureError) {
        guard width > 0, height > 0, deltas.count == width * height * 3 else {
            throw .malformedImage(width: width, height: height, byteCount: deltas.count)
        }
        guard let outOfRange = deltas.first(where: { abs(Int($0)) > 255 }) else {
            self.width = width
            self.height = height
            self.deltas = deltas
            return
        }
        throw .invalidValue(figure: "Perturbation", what: "a δ in grey levels", value: Double(outOfRange))
    }

    /// L∞ norm: the largest |δ| over all pixels and channels, in grey levels.
    public var maximumMagnitude: Int {
        deltas.reduce(0) { max($0, abs(Int($1))) }
    }

    /// The number of channel values that changed.
    public var changedValueCount: Int {
        deltas.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    }

    /// Per-pixel magnitude: max over the three channels of |δ|, row-major.
    public var pixelMagnitudes: [Int] {
        var magnitudes = [Int](repeating: 0, count: width * height)
        for pixel in 0..<(width * height) {
            let base = pixel * 3
            magnitudes[pixel] = max(abs(Int(deltas[base])), abs(Int(deltas[base + 1])), abs(Int(deltas[base + 2])))
        }
        return magnitudes
    }

    /// The perturbation made visible: 128 + amplification · δ per channel, clamped to 0…255,
    /// so mid-grey means "unchanged".
    public func amplified(by amplification: Double) -> RGBImage {
        let pixels = deltas.map { delta -> UInt8 in
            let value = (128 + amplification * Double(delta)).rounded()
            return UInt8(min(max(value, 0), 255))
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The amplification that makes the largest |δ| reach about ±127 grey levels, rounded
    /// down to 1, 2 or 5 × 10ⁿ so the factor written on the figure is a plain number.
    public var automaticAmplification: Double {
        let largest = maximumMagnitude
        guard largest > 0 else { return 1 }
        let ideal = 127 / Double(largest)
        guard ideal > 1 else { return 1 }
        var decade = 1.0
        while decade * 10 <= ideal { decade *= 10 }
        for step in [5.0, 2.0, 1.0] where step * decade <= ideal {
            return step * decade
        }
        return decade
    }

    private static func validate(_ image: RGBImage) throws(FigureError) {
        guard image.width > 0, image.height > 0, image.pixels.count == image.width * image.height * 3 else {
            throw .malformedImage(width: image.width, height: image.height, byteCount: image.pixels.count)
        }
    }
}
