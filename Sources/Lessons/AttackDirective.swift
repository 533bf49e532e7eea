/// The method of an attack and its settings, defaults filled in. Shared by the `attack`
/// directive and by the inline specs of `transfer` and `compare`.
public struct AttackParameters: Hashable, Sendable {
    /// The method name (`talk`, `fgsm`, `pgd`, …).
    public var method: String
    /// The L∞ bound (L2 radius for `pgd-l2`) on the [0,1] image scale; nil when unbounded or
    /// when the bound is given in model units.
    public var epsilon: Double?
    /// The talk's bound in model-input units (±0.01), for `talk` and `talk-sign`.
    public var boundModelUnits: Double?
    /// The step limit (nil for one-step and query-based methods).
    public var steps: Int?
    /// Stop once the target class reaches this probability.
    public var goal: Double?
    /// The step size on the [0,1] image scale.
    public var stepSize: Double?
    /// Keep every step on the 8-bit grid.
    public var grid: Bool
    /// The query budget of `square`.
    public var queries: Int?
    /// C&W's trade-off constant, confidence margin and Adam learning rate.
    public var c: Double?
    public var kappa: Double?
    public var learningRate: Double?
    /// DeepFool's overshoot.
    public var overshoot: Double?
    /// MI-FGSM's momentum decay.
    public var momentum: Double?
    /// PGD's random start inside the ball.
    public var randomStart: Bool?

    /// Whether the attack runs without any bound (the talk's first attack).
    public var isUnbounded: Bool { epsilon == nil && boundModelUnits == nil }

    /// The step size of a bounded method when a lesson writes none: 2.5·ε/steps (Madry et al.),
    /// so that the steps can cross the whole ball. One rule for `attack` blocks and for the
    /// points of a `sweep`, so that the same attack gets the same settings (and cache key) in both.
    static func defaultStepSize(epsilon: Double, steps: Int) -> Double {
        2.5 * epsilon / Double(steps)
    }

    /// Every setting, by its lesson key.
    public var canonical: CanonicalValue {
        var entries: [String: CanonicalValue] = ["method": .text(method), "grid": .bool(grid)]
        func put(_ parameter: AttackParameter, _ value: CanonicalValue?) {
            if let value { entries[parameter.rawValue] = value }
        }
        put(.epsilon, epsilon.map(CanonicalValue.number))
        put(.boundModelUnits, boundModelUnits.map(CanonicalValue.number))
        put(.steps, steps.map(CanonicalValue.integer))
        put(.goal, goal.map(CanonicalValue.number))
        put(.stepSize, stepSize.map(CanonicalValue.number))
        put(.queries, queries.map(CanonicalValue.integer))
        put(.c, c.map(CanonicalValue.number))
        put(.kappa, kappa.map(CanonicalValue.number))
        put(.learningRate, learningRate.map(CanonicalValue.number))
        put(.overshoot, overshoot.map(CanonicalValue.number))
        put(.momentum, momentum.map(CanonicalValue.number))
        put(.randomStart, randomStart.map(CanonicalValue.bool))
        return .map(entries)
    }
}

/// One method of a `sweep`: its settings without a bound, made whole at each ε of the sweep.
public struct SweptAttack: Hashable, Sendable {
    /// The method and its settings, defaults filled in, with no `epsilon`; `stepSize` is nil
    /// when it follows ε.
    public var settings: AttackParameters
    /// Whether the step size is the default 2.5·ε/steps, different at every ε.
    public var stepSizeFollowsEpsilon: Bool

    /// The settings of the point at `epsilon`: exactly what an `attack` block with that ε and
    /// the same keys reads, so the two share a computation.
    public func parameters(epsilon: Double) -> AttackParameters {
        var parameters = settings
        parameters.epsilon = epsilon
        if stepSizeFollowsEpsilon, let steps = settings.steps {
            parameters.stepSize = AttackParameters.defaultStepSize(epsilon: epsilon, steps: steps)
        }
        return parameters
    }
}

/// The `attack` directive: one attack on one image, with its figures.
public struct AttackDirective: Hashable, Sendable {
    /// The image, relative to the lessons folder.
    public var image: String
    public var model: String
    /// nil for an untargeted attack.
    public var target: ClassTarget?
    public var parameters: AttackParameters
    public var seed: Int

    public var canonical: CanonicalValue {
        var entries: [String: CanonicalValue] = [
            "image": .file(image), "model": .text(model), "attack": parameters.canonical, "seed": .integer(seed),
        ]
        if let target { entries["target"] = .integer(target.index) }
        return .map(entries)
    }
}

/// Reads and checks `attack`.
enum AttackSchema: DirectiveSchema {
    static let name = "attack"
    static let computationKeys = ["image", "model", "method", "target"] + AttackParameter.allCases.map(\.rawValue)
    static let showChoices = ["comparison", "noise", "noise-signed", "confidence", "progress", "log", "table"]
    static let defaultShow = ["comparison", "confidence"]

    static func read(_ reader: DirectiveReader) -> DirectiveBody? {
        let image = reader.readImage()
        let model = reader.readModel("model")
        let (target, targetValid) = reader.readTarget()
        let parameters = AttackParameterReader(keys: reader.keys, context: reader.context)
            .read(target: target, targetValid: targetValid, targetLocation: reader.keys.valueLocation("target"))
        let seed = reader.readSeed()
        guard let image, let model, targetValid, let parameters else { return nil }
        return .attack(AttackDirective(image: image, model: model, target: target, parameters: parameters, seed: seed))
    }
}

/// Reads `method` and the attack settings of one mapping and applies the method's rules.
struct AttackParameterReader {
    /// Where an attack's bound comes from.
    enum BoundSource {
        /// The mapping's own `epsilon` or `bound-model-units` (an `attack` block, a `compare` row).
        case ownKeys
        /// A `sweep` block's `epsilons` list: the mapping must not set a bound, and its method
        /// must take an L∞ ε. The parameters come back without ε (see ``SweptAttack``).
        case sweep
    }

    let keys: MappingReader
    let context: DirectiveContext
    var boundSource: BoundSource = .ownKeys

    private var log: DiagnosticLog { keys.log }

    /// nil (after logging) when anything is wrong. Every present key is still read so that all
    /// problems are reported at once, even when the method itself is unknown.
    func read(target: ClassTarget?, targetValid: Bool, targetLocation: SourceLocation) -> AttackParameters? {
        readChecked(target: target, targetValid: targetValid, targetLocation: targetLocation)?.parameters
    }

    /// The settings of one method of a `sweep`, without ε; nil (after logging) when anything is wrong.
    func readSwept(target: ClassTarget?, targetValid: Bool, targetLocation: SourceLocation) -> SweptAttack? {
        guard let read = readChecked(target: target, targetValid: targetValid, targetLocation: targetLocation)
        else { return nil }
        return SweptAttack(settings: read.parameters, stepSizeFollowsEpsilon: read.stepSizeFollowsEpsilon)
    }

    private func readChecked(target: ClassTarget?, targetValid: Bool, targetLocation: SourceLocation)
        -> (parameters: AttackParameters, stepSizeFollowsEpsilon: Bool)? {
        var valid = true
        let rules = readMethod(&valid)

        if boundSource == .sweep {
            for key in ["epsilon", AttackParameter.boundModelUnits.rawValue] where keys.has(key) {
                log.error(keys.keyLocation(key), "\(key) is set for every point by the block's 'epsilons' list; "
                    + "remove it from this method")
                valid = false
            }
        }
        var epsilon: Double?
        if boundSource == .ownKeys, keys.has("epsilon") {
            let range: NumberRange = rules?.boundIsL2 == true
                ? .greaterThan(0) : .between(0, 1)
            let hint = rules?.boundIsL2 == true ? "an L2 radius on the [0,1] image scale, e.g. 0.5"
                : "on the [0,1] image scale, e.g. 2/255 or 0.004"
            epsilon = keys.number("epsilon", range: range, hint: hint)
            if epsilon == nil { valid = false }
        }
        let boundModelUnits = boundSource == .ownKeys
            ? number(.boundModelUnits, .between(0, 2), "model-input units, the talk used 0.01", &valid) : nil
        let steps = integer(.steps, atLeast: 1, &valid)
        let goal = number(.goal, .between(0, 1), "a probability, e.g. 0.95", &valid)
        let stepSize = number(.stepSize, .greaterThan(0), "on the [0,1] image scale, e.g. 1/255", &valid)
        let grid = bool(.grid, &valid)
        let queries = integer(.queries, atLeast: 1, &valid)
        let c = number(.c, .greaterThan(0), "e.g. 1", &valid)
        let kappa = number(.kappa, .atLeast(0), "e.g. 0", &valid)
        let learningRate = number(.learningRate, .greaterThan(0), "e.g. 0.01", &valid)
        let overshoot = number(.overshoot, .atLeast(0), "e.g. 0.02", &valid)
        let momentum = number(.momentum, .atLeast(0), "e.g. 1.0", &valid)
        let randomStart = bool(.randomStart, &valid)

        guard let rules else { return nil }

        // Settings the method does not take.
        for parameter in AttackParameter.allCases where parameter != .epsilon && keys.has(parameter.rawValue) {
            // A sweep has already refused its own bound keys above.
            if boundSource == .sweep, parameter == .boundModelUnits { continue }
            if !rules.parameters.contains(parameter) {
                let takers = context.attackMethods.filter { $0.parameters.contains(parameter) }.map(\.name)
                let alternative = takers.isEmpty ? "" : "; it is a setting of \(takers.joined(separator: ", "))"
                let oneStep = parameter == .steps && rules.defaultSteps == nil && rules.defaultQueries == nil
                    ? " (\(rules.name) takes exactly one step; use bim or pgd for several)" : ""
                log.error(keys.keyLocation(parameter.rawValue),
                          "'\(parameter.rawValue)' does not apply to \(rules.name)\(oneStep)\(alternative)")
                valid = false
            }
        }

        // The bound.
        if boundSource == .sweep {
            if rules.bound == .notUsed || rules.boundIsL2 {
                let why = rules.boundIsL2 ? "its bound is an L2 radius, not an L∞ ε in grey levels"
                    : "it searches for the smallest perturbation itself and takes no ε"
                let swept = context.attackMethods.filter { $0.bound != .notUsed && !$0.boundIsL2 }.map(\.name)
                log.error(keys.valueLocation("method"), "\(rules.name) cannot be swept over ε: \(why); "
                    + "use one of \(swept.joined(separator: ", "))")
                valid = false
            }
        } else {
            switch rules.bound {
            case .required where !keys.has("epsilon"):
                log.error(keys.keyLocation("method"), "\(rules.name) needs a bound: add 'epsilon: 8/255' "
                    + "(on the [0,1] image scale)")
                valid = false
            case .notUsed where keys.has("epsilon"):
                log.error(keys.keyLocation("epsilon"), "\(rules.name) takes no epsilon: it searches for the smallest "
                    + "L2 perturbation itself; remove epsilon, or use pgd-l2 for an L2-bounded attack")
                valid = false
            default:
                break
            }
        }
        if boundSource == .ownKeys, keys.has("epsilon"), keys.has(AttackParameter.boundModelUnits.rawValue) {
            log.error(keys.keyLocation(AttackParameter.boundModelUnits.rawValue),
                      "give either epsilon (image scale) or bound-model-units (model-input units), not both")
            valid = false
        }
        if grid == true, let epsilon, !rules.boundIsL2, epsilon * 255 < 1 - 1e-9 {
            log.error(keys.valueLocation("epsilon"), "epsilon \(plain(epsilon)) is less than one grey level "
                + "(1/255): with grid: true the 8-bit image could not change at all; use at least 1/255")
            valid = false
        }

        // The target.
        let hasTarget = target != nil || !targetValid
        switch rules.target {
        case .required where !hasTarget:
            log.error(keys.keyLocation("method"), "\(rules.name) pushes the image towards a class: "
                + "add a target (class name or index), e.g. 'target: trilobite'")
            valid = false
        case .forbidden where hasTarget:
            log.error(target == nil ? keys.keyLocation("method") : targetLocation,
                      "\(rules.name) is untargeted: it moves the image just past the nearest decision boundary; "
                      + "remove the target or use a targeted method such as pgd or cw")
            valid = false
        default:
            break
        }
        if keys.has("goal"), !hasTarget {
            log.error(keys.keyLocation("goal"), "goal is the probability to reach for the target class: "
                + "add a target or remove goal")
            valid = false
        }

        guard valid else { return nil }
        let resolvedSteps = rules.parameters.contains(.steps) ? (steps ?? rules.defaultSteps) : nil
        var resolvedStepSize: Double?
        // In a sweep an unwritten step size follows each point's ε, which fills it in.
        let stepSizeFollowsEpsilon = boundSource == .sweep && rules.parameters.contains(.stepSize) && stepSize == nil
            && resolvedSteps != nil
        if rules.parameters.contains(.stepSize), !stepSizeFollowsEpsilon {
            if let stepSize {
                resolvedStepSize = stepSize
            } else if let epsilon, let resolvedSteps {
                resolvedStepSize = AttackParameters.defaultStepSize(epsilon: epsilon, steps: resolvedSteps)
            } else {
                resolvedStepSize = rules.defaultUnboundedStepSize
            }
        }
        let parameters = AttackParameters(
            method: rules.name, epsilon: epsilon, boundModelUnits: boundModelUnits, steps: resolvedSteps,
            goal: goal ?? (target != nil ? rules.defaultGoal : nil), stepSize: resolvedStepSize, grid: grid ?? false,
            queries: rules.parameters.contains(.queries) ? (queries ?? rules.defaultQueries) : nil,
            c: rules.parameters.contains(.c) ? (c ?? rules.defaultC) : nil,
            kappa: rules.parameters.contains(.kappa) ? (kappa ?? rules.defaultKappa) : nil,
            learningRate: rules.parameters.contains(.learningRate) ? (learningRate ?? rules.defaultLearningRate) : nil,
            overshoot: rules.parameters.contains(.overshoot) ? (overshoot ?? rules.defaultOvershoot) : nil,
            momentum: rules.parameters.contains(.momentum) ? (momentum ?? rules.defaultMomentum) : nil,
            randomStart: rules.parameters.contains(.randomStart) ? (randomStart ?? rules.defaultRandomStart) : nil)
        return (parameters, stepSizeFollowsEpsilon)
    }

    private func readMethod(_ valid: inout Bool) -> AttackMethodRules? {
        let names = context.attackMethods.map(\.name)
        guard keys.has("method") else {
            keys.requireKey("method", example: "talk")
            valid = false
            return nil
        }
        guard let name = keys.text("method", expecting: "an attack method (\(names.joined(separator: ", ")))") else {
            valid = false
            return nil
        }
        guard let rules = context.method(named: name) else {
            let suggestions = Suggestions.nearest(to: name, among: names, limit: 2)
            log.error(keys.valueLocation("method"), Suggestions.message(
                "unknown attack method '\(name)'", suggestions: suggestions,
                choices: "methods: \(names.joined(separator: ", "))"))
            valid = false
            return nil
        }
        return rules
    }

    private func number(_ parameter: AttackParameter, _ range: NumberRange, _ hint: String,
                        _ valid: inout Bool) -> Double? {
        guard keys.has(parameter.rawValue) else { return nil }
        let value = keys.number(parameter.rawValue, range: range, hint: hint)
        if value == nil { valid = false }
        return value
    }

    private func integer(_ parameter: AttackParameter, atLeast minimum: Int, _ valid: inout Bool) -> Int? {
        guard keys.has(parameter.rawValue) else { return nil }
        let value = keys.integer(parameter.rawValue, range: minimum...Int.max, explanation: "of \(minimum) or more")
        if value == nil { valid = false }
        return value
    }

    private func bool(_ parameter: AttackParameter, _ valid: inout Bool) -> Bool? {
        guard keys.has(parameter.rawValue) else { return nil }
        let value = keys.bool(parameter.rawValue)
        if value == nil { valid = false }
        return value
    }
}
