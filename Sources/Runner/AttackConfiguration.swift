import Attacks
import Lessons

/// Turns a lesson's attack settings into the Attacks module's configuration.
///
/// Lessons fills in every default itself (``AttackParameters``) and the cache key hashes those
/// values, so every one of them is passed on explicitly: what is hashed is what runs, even if the
/// Attacks module's own defaults (its step sizes, PGD's random start) were to change.
public enum AttackConfiguration {
    /// A problem turning lesson settings into a configuration (a method the Attacks module does
    /// not know: Lessons and Attacks disagree, which is a bug to report, not a lesson error).
    public struct Mismatch: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The configuration for `parameters` towards `target` with `seed`.
    public static func make(_ parameters: AttackParameters, target: ClassTarget?, seed: Int)
        throws(Mismatch) -> AttackConfig {
        guard let method = AttackMethod(rawValue: parameters.method) else {
            throw Mismatch(description: "the attack method '\(parameters.method)' accepted by the lessons is unknown "
                + "to the Attacks module; the two lists of methods must agree")
        }
        var config = AttackConfig(method: method, target: target?.index)
        if let epsilon = parameters.epsilon {
            config.epsilon = Epsilon(epsilon, unit: .image)
        } else if let bound = parameters.boundModelUnits {
            config.epsilon = .modelInput(bound)
        } else {
            config.epsilon = nil
        }
        switch method {
        case .square:
            // Square's step limit is its query budget.
            if let queries = parameters.queries { config.steps = queries }
        case .fgsm:
            config.steps = 1
        default:
            if let steps = parameters.steps { config.steps = steps }
        }
        config.stepSize = parameters.stepSize
        config.goal = parameters.goal
        config.gridMode = parameters.grid
        config.randomStart = parameters.randomStart ?? false
        if let momentum = parameters.momentum { config.momentum = momentum }
        if let c = parameters.c { config.cwConstant = c }
        if let kappa = parameters.kappa { config.cwConfidence = kappa }
        if let learningRate = parameters.learningRate { config.cwLearningRate = learningRate }
        if let overshoot = parameters.overshoot { config.overshoot = overshoot }
        config.seed = UInt64(max(0, seed))
        return config
    }

    /// How a lesson reads the bound: "2/255", "0.01 model units"; nil when unbounded.
    public static func boundDescription(_ parameters: AttackParameters) -> String? {
        if let epsilon = parameters.epsilon {
            if parameters.method == "pgd-l2" { return "L2 \(Epsilon(epsilon).description)" }
            return Epsilon(epsilon).description
        }
        if let bound = parameters.boundModelUnits { return "\(bound)\(modelUnitsSuffix)" }
        return nil
    }

    /// The value of a bound in the network's input units (the talk's "0.01"), read back from a
    /// ``boundDescription(_:)``; nil for a bound on the image scale.
    public static func modelUnitsValue(of description: String) -> String? {
        description.hasSuffix(modelUnitsSuffix) ? String(description.dropLast(modelUnitsSuffix.count)) : nil
    }

    private static let modelUnitsSuffix = " model units"
}
