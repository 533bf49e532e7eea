import Foundation

/// The 8-bit image a [0,1] image becomes when saved: `clamp(round(x · 255), 0, 255)`, rounding
/// halves to even as NumPy and PyTorch do.
public func quantizedToEightBit(_ image: [Float]) -> [UInt8] {
    image.map { UInt8(min(max(($0 * 255).rounded(.toNearestOrEven), 0), 255)) }
}

/// A [0,1] image from 8-bit values: `level / 255`.
public func imageUnits(fromEightBit levels: [UInt8]) -> [Float] {
    levels.map { Float($0) / 255 }
}

/// Where an attack's iterates may live: the valid range [0,1], intersected with the ε-ball around
/// the original (L∞ or L2) when there is one, and, in grid mode, the 8-bit grid.
///
/// The original came from an 8-bit file, so it is on the grid. The grid version of the L∞ ball is
/// the box of whole grey levels `[g0 − E, g0 + E] ∩ [0, 255]` with `E = ⌊ε·255⌋`: rounding to the
/// nearest level and then clamping to that box is the nearest grid point inside the ball, so
/// rounding can never leave the ball. For L2 the grid projection rounds `x0 + s·δ` with the
/// largest scale s ∈ [0, 1] (found by bisection; the rounded norm grows monotonically with s)
/// whose rounded perturbation is still inside the ball.
final class FeasibleRegion {
    enum Ball: Equatable {
        case unbounded
        /// Radius on the [0,1] scale.
        case linf(Double)
        /// Radius on the [0,1] scale.
        case l2(Double)
    }

    /// The original image on the [0,1] scale, `side × side × 3`.
    let original: [Float]
    /// The original's 8-bit levels as Float (whole numbers 0...255).
    let originalLevels: [Float]
    let ball: Ball
    let gridMode: Bool
    /// Per-value bounds of the float box [0,1] ∩ [x0 − ε, x0 + ε] (L∞), or [0,1].
    private let lower: [Float], upper: [Float]
    /// The same box in whole grey levels: the nearest grid points inside it are the saved values.
    private let lowerLevel: [Float], upperLevel: [Float]
    /// L2 grid projection: the perturbation in grey levels, reused between calls.
    private var perturbationLevels: [Float]

    init(original levels: [UInt8], ball: Ball, gridMode: Bool) {
        self.ball = ball
        self.gridMode = gridMode
        originalLevels = levels.map { Float($0) }
        original = levels.map { Float($0) / 255 }
        perturbationLevels = []
        switch ball {
        case .linf(let radius):
            let epsilon = Float(radius)
            let levelsAllowed = Float(wholeGreyLevels(radius))
            lower = original.map { max(0, $0 - epsilon) }
            upper = original.map { min(1, $0 + epsilon) }
            lowerLevel = originalLevels.map { max(0, $0 - levelsAllowed) }
            upperLevel = originalLevels.map { min(255, $0 + levelsAllowed) }
        case .unbounded, .l2:
            lower = [Float](repeating: 0, count: levels.count)
            upper = [Float](repeating: 1, count: levels.count)
            lowerLevel = [Float](repeating: 0, count: levels.count)
            upperLevel = [Float](repeating: 255, count: levels.count)
            if case .l2 = ball { perturbationLevels = [Float](repeating: 0, count: levels.count) }
        }
    }

    /// Projects `image` onto the region (and onto the grid in grid mode), in place.
    func project(_ image: inout [Float]) {
        if case .l2(let radius) = ball {
            projectOntoL2Ball(&image, radius: radius)
        }
        image.withUnsafeMutableBufferPointer { x in
            lower.withUnsafeBufferPointer { low in
                upper.withUnsafeBufferPointer { high in
                    for i in 0..<x.count { x[i] = min(max(x[i], low[i]), high[i]) }
                }
            }
        }
        if gridMode {
            let scale = gridScale(of: image)
            image.withUnsafeMutableBufferPointer { x in
                for i in 0..<x.count { x[i] = gridLevel(i, of: x[i], scale: scale) / 255 }
            }
        }
    }

    /// One value of `project` for an L∞ or unbounded region, where each value is projected on
    /// its own: clamped to its box, then rounded onto the grid in grid mode. For attacks that
    /// change a few values at a time (Square) and need not pass over the whole image.
    /// Not for the L2 ball, whose projection couples all values.
    @inline(__always)
    func projectedValue(_ value: Float, at index: Int) -> Float {
        precondition(!isL2, "an L2 projection cannot be done one value at a time")
        let clamped = min(max(value, lower[index]), upper[index])
        return gridMode ? gridLevel(index, of: clamped, scale: 1) / 255 : clamped
    }

    private var isL2: Bool {
        if case .l2 = ball { return true }
        return false
    }

    /// Clamps an accumulated perturbation δ (`image = x0 + δ`) so that x0 + δ stays inside the
    /// float box: for attacks that keep δ apart from the image, so that updates far smaller than
    /// the spacing of Float values near x0 still add up. For the L2 ball only [0,1] is enforced
    /// here; `project` does the rest.
    func clampPerturbation(_ perturbation: inout [Float]) {
        perturbation.withUnsafeMutableBufferPointer { delta in
            original.withUnsafeBufferPointer { x0 in
                lower.withUnsafeBufferPointer { low in
                    upper.withUnsafeBufferPointer { high in
                        for i in 0..<delta.count {
                            delta[i] = min(max(delta[i], low[i] - x0[i]), high[i] - x0[i])
                        }
                    }
                }
            }
        }
    }

    /// The 8-bit image that is saved for `image`: the nearest grid point inside the region.
    /// For an image already projected in grid mode this is exactly `image × 255`.
    func savedImage(of image: [Float]) -> [UInt8] {
        let scale = gridScale(of: image)
        var saved = [UInt8](repeating: 0, count: image.count)
        for i in image.indices { saved[i] = UInt8(gridLevel(i, of: image[i], scale: scale)) }
        return saved
    }

    /// The whole grey level of value `index` of the nearest grid point inside the region.
    /// L∞ and unbounded: round, then clamp to the box of allowed levels. L2: round x0 + scale·δ
    /// (δ was stored in `perturbationLevels` by `gridScale(of:)`).
    @inline(__always)
    private func gridLevel(_ index: Int, of value: Float, scale: Float) -> Float {
        if case .l2 = ball {
            let level = (originalLevels[index] + scale * perturbationLevels[index]).rounded(.toNearestOrEven)
            return min(max(level, 0), 255)
        }
        let level = (value * 255).rounded(.toNearestOrEven)
        return min(max(level, lowerLevel[index]), upperLevel[index])
    }

    /// For L2: stores δ in grey levels and returns the largest scale s ∈ [0, 1] whose rounded
    /// perturbation stays inside the ball (1 when rounding δ itself does). 1 for other balls.
    private func gridScale(of image: [Float]) -> Float {
        guard case .l2(let radius) = ball else { return 1 }
        for index in image.indices {
            perturbationLevels[index] = (image[index] - original[index]) * 255
        }
        // Squared radius in grey levels, with a relative slack far below one level² so that a
        // rounded perturbation exactly on the sphere is accepted despite floating point.
        let radiusLevels = radius * 255
        let limit = radiusLevels * radiusLevels * (1 + 1e-9)
        if squaredLevelDistance(scale: 1) <= limit { return 1 }
        var inside: Float = 0, outside: Float = 1
        for _ in 0..<30 {
            let middle = (inside + outside) / 2
            if squaredLevelDistance(scale: middle) <= limit { inside = middle } else { outside = middle }
        }
        return inside
    }

    private func squaredLevelDistance(scale: Float) -> Double {
        var sum = 0.0
        for index in perturbationLevels.indices {
            let difference = Double(gridLevel(index, of: 0, scale: scale) - originalLevels[index])
            sum += difference * difference
        }
        return sum
    }

    /// Scales δ = x − x0 down to norm `radius` when it is longer, then clamps to [0,1].
    /// Clamping moves values towards x0 (which is inside [0,1]), so it cannot lengthen δ.
    private func projectOntoL2Ball(_ image: inout [Float], radius: Double) {
        var sumOfSquares = 0.0
        image.withUnsafeBufferPointer { x in
            original.withUnsafeBufferPointer { x0 in
                for i in 0..<x.count {
                    let difference = Double(x[i] - x0[i])
                    sumOfSquares += difference * difference
                }
            }
        }
        let norm = sumOfSquares.squareRoot()
        guard norm > radius else { return }
        let factor = Float(radius / norm)
        image.withUnsafeMutableBufferPointer { x in
            original.withUnsafeBufferPointer { x0 in
                for i in 0..<x.count { x[i] = x0[i] + (x[i] - x0[i]) * factor }
            }
        }
    }
}
