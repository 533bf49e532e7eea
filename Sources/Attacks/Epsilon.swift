/// The unit an ε value is written in.
public enum EpsilonUnit: String, Codable, Sendable, Hashable, CaseIterable {
    /// The [0,1] image scale (pixel / 255), as torchattacks and Foolbox use: `8/255`, `0.004`.
    case image
    /// Grey levels of the 8-bit image: 8 means ±8 of 255.
    case greyLevels = "grey"
    /// The network's input units: the talk clipped to ±0.01 in these (EfficientNet-Lite's
    /// `(pixel − 127) / 128`, so 0.01 model units ≈ 1.28 grey levels ≈ 0.005 on [0,1]).
    case modelInput = "model"
}

/// A perturbation bound as the user wrote it: a value and its unit.
///
/// The attacks work on the [0,1] image scale; `imageUnits(modelInputScale:)` converts.
/// Reports state a bound in all three units through ``BoundReport``.
public struct Epsilon: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The number as written, in `unit`.
    public var value: Double
    /// The unit `value` is in.
    public var unit: EpsilonUnit

    /// A bound of `value` in `unit` (default: the [0,1] image scale).
    public init(_ value: Double, unit: EpsilonUnit = .image) {
        self.value = value
        self.unit = unit
    }

    /// A bound in grey levels: `.greyLevels(2)` is 2/255 on the [0,1] scale.
    public static func greyLevels(_ levels: Double) -> Epsilon { Epsilon(levels, unit: .greyLevels) }

    /// A bound in model-input units, as the talk wrote its ±0.01.
    public static func modelInput(_ value: Double) -> Epsilon { Epsilon(value, unit: .modelInput) }

    /// Reads "8/255", "2/255", "0.004" (all on the [0,1] image scale).
    ///
    /// Only the format is checked here; whether the value suits a method is checked by
    /// ``AttackConfig/validate(imageSide:classCount:modelInputScale:)``.
    public init(parsing text: String) throws(AttackError) {
        let cleaned = text.trimmingWhitespace()
        let parts = cleaned.split(separator: "/", omittingEmptySubsequences: false)
        let value: Double?
        switch parts.count {
        case 1:
            value = Double(parts[0].trimmingWhitespace())
        case 2:
            if let numerator = Double(parts[0].trimmingWhitespace()),
               let denominator = Double(parts[1].trimmingWhitespace()), denominator != 0 {
                value = numerator / denominator
            } else {
                value = nil
            }
        default:
            value = nil
        }
        guard let value, value.isFinite else { throw .unreadableEpsilon(text) }
        self.init(value, unit: .image)
    }

    enum CodingKeys: String, CodingKey { case value, unit }

    /// Decodes `{"value": 0.0313, "unit": "image"}`, or a bare number (image units), or a
    /// string such as `"8/255"`, so that hand-written configurations read naturally.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if let number = try? single.decode(Double.self) {
                self.init(number, unit: .image)
                return
            }
            if let text = try? single.decode(String.self) {
                do {
                    try self.init(parsing: text)
                } catch {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: decoder.codingPath, debugDescription: error.description))
                }
                return
            }
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(Double.self, forKey: .value),
                  unit: try container.decodeIfPresent(EpsilonUnit.self, forKey: .unit) ?? .image)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encode(unit, forKey: .unit)
    }

    /// The bound on the [0,1] image scale, given the network's model-input units per image unit.
    public func imageUnits(modelInputScale: Float) -> Double {
        switch unit {
        case .image: return value
        case .greyLevels: return value / 255
        case .modelInput: return value / Double(modelInputScale)
        }
    }

    /// The bound in every unit, for reports.
    public func report(modelInputScale: Float, norm: PerturbationNorm) -> BoundReport {
        BoundReport(norm: norm, imageUnits: imageUnits(modelInputScale: modelInputScale),
                    modelInputScale: modelInputScale)
    }

    /// "8/255" when the bound is a whole number of grey levels, else the decimal and its unit.
    public var description: String {
        switch unit {
        case .image:
            return describeImageUnits(value)
        case .greyLevels:
            return "\(formatted(value)) grey levels"
        case .modelInput:
            return "\(value) model units"
        }
    }
}

/// "8/255" for whole grey levels, else the decimal.
func describeImageUnits(_ value: Double) -> String {
    let levels = value * 255
    if abs(levels - levels.rounded()) < 1e-6, levels.rounded() != 0 {
        return "\(Int(levels.rounded()))/255"
    }
    return "\(value)"
}

/// A bound stated in every unit a reader may think in.
public struct BoundReport: Codable, Sendable, Hashable, CustomStringConvertible {
    /// L∞ (per-pixel) or L2 (whole-image) bound.
    public var norm: PerturbationNorm
    /// On the [0,1] image scale.
    public var imageUnits: Double
    /// In grey levels (× 255).
    public var greyLevels: Double
    /// In the network's input units (× modelInputScale).
    public var modelUnits: Double
    /// For L∞: the whole grey levels an 8-bit pixel may move, ⌊greyLevels⌋ (with a 1e-3 grey-level
    /// tolerance so that 8/255 written in floating point still allows 8). nil for L2.
    public var gridLevels: Int?

    /// Converts a bound given on the [0,1] scale.
    public init(norm: PerturbationNorm, imageUnits: Double, modelInputScale: Float) {
        self.norm = norm
        self.imageUnits = imageUnits
        self.greyLevels = imageUnits * 255
        self.modelUnits = imageUnits * Double(modelInputScale)
        self.gridLevels = norm == .linf ? wholeGreyLevels(imageUnits) : nil
    }

    public var description: String {
        let name = norm == .linf ? "L∞" : "L2"
        return "\(name) ≤ \(describeImageUnits(imageUnits)) = \(formatted(greyLevels, digits: 2)) grey levels = "
            + "\(formatted(imageUnits, digits: 5)) on [0,1] = \(formatted(modelUnits, digits: 5)) model units"
    }
}

/// The whole grey levels inside an L∞ bound of `imageUnits`: ⌊ε·255 + 1e-3⌋. The small tolerance
/// absorbs the rounding of fractions such as 8/255 so they allow exactly 8 levels.
func wholeGreyLevels(_ imageUnits: Double) -> Int {
    let levels = (imageUnits * 255 + 1e-3).rounded(.down)
    return Int(min(max(levels, 0), 255))
}
