/// A class name that the class list does not know, with the nearest names it does.
public struct UnknownClass: Error, Hashable, Sendable {
    /// The nearest known names, best first (may be empty).
    public var suggestions: [String]
    /// Why the name was refused when it is not a plain typo, e.g. "the network has classes 0…999".
    public var reason: String?

    public init(suggestions: [String], reason: String? = nil) {
        self.suggestions = suggestions
        self.reason = reason
    }
}

/// Everything validation needs from outside the lesson files, injected so that Lessons does not
/// depend on the engine: the lessons folder, the class list, the models and the attack methods.
public struct DirectiveContext: Sendable {
    /// The folder that holds `es/`, `en/`, … and `images/`; image paths are relative to it.
    public var lessonsRoot: String
    /// Turns a class name or index into the class index, or says which names are nearest.
    /// The real one comes from the engine's ImageNet labels.
    public var resolveClass: @Sendable (String) -> Result<Int, UnknownClass>
    /// The model names a directive may use (`lite0`, `lite2`).
    public var models: [String]
    /// The model used when a directive names none.
    public var defaultModel: String
    /// The attack methods a directive may use, with their rules and defaults.
    public var attackMethods: [AttackMethodRules]
    /// The directive kinds recognised as fenced-block info strings. To add a kind, write a
    /// ``DirectiveSchema`` type and a ``DirectiveBody`` case, and list it in
    /// `standardDirectiveKinds`.
    var directiveKinds: [any DirectiveSchema.Type] { standardDirectiveKinds }

    /// The fenced-block names that are directives: `attack`, `classify`, `transfer`, `compare`,
    /// `diagram`, `sweep`.
    public var directiveNames: [String] { directiveKinds.map { $0.name } }

    /// A context with the standard models, methods and directive kinds.
    public init(lessonsRoot: String,
                resolveClass: @escaping @Sendable (String) -> Result<Int, UnknownClass>,
                models: [String] = ["lite0", "lite2"],
                defaultModel: String = "lite0",
                attackMethods: [AttackMethodRules] = AttackMethodRules.standard) {
        self.lessonsRoot = lessonsRoot
        self.resolveClass = resolveClass
        self.models = models
        self.defaultModel = defaultModel
        self.attackMethods = attackMethods
    }

    func schema(named name: String) -> (any DirectiveSchema.Type)? {
        directiveKinds.first { $0.name == name }
    }

    func method(named name: String) -> AttackMethodRules? {
        attackMethods.first { $0.name == name }
    }
}

/// The settings an attack method takes beyond its name.
public enum AttackParameter: String, CaseIterable, Hashable, Sendable {
    case epsilon
    case boundModelUnits = "bound-model-units"
    case steps
    case goal
    case stepSize = "step-size"
    case grid
    case queries
    case c
    case kappa
    case learningRate = "learning-rate"
    case overshoot
    case momentum
    case randomStart = "random-start"
}

/// What a method needs and accepts, mirroring the checks of the Attacks module so that a lesson
/// fails at validation, with a position, rather than halfway through a build.
public struct AttackMethodRules: Hashable, Sendable {
    /// Whether the method uses a perturbation bound.
    public enum BoundUse: Hashable, Sendable {
        /// Defined by its ε-ball (FGSM, PGD, …).
        case required
        /// May run unbounded (the talk's attack).
        case optional
        /// Finds its own size (C&W, DeepFool): a bound would be ignored, so it is refused.
        case notUsed
    }

    /// Whether the method pushes towards a target class.
    public enum TargetUse: Hashable, Sendable {
        case required
        case optional
        /// Untargeted by construction (DeepFool).
        case forbidden
    }

    /// The name lessons use (`talk-sign`).
    public var name: String
    public var bound: BoundUse
    /// ε is an L2 radius (any size > 0) rather than an L∞ bound below 1.
    public var boundIsL2: Bool
    public var target: TargetUse
    /// The settings the method accepts besides `epsilon` (which `bound` governs).
    public var parameters: Set<AttackParameter>
    /// Values used when a lesson omits a setting, so the canonical form (and the cache key) is
    /// the same whether a lesson writes the default or leaves it out.
    public var defaultSteps: Int?
    public var defaultGoal: Double?
    public var defaultQueries: Int?
    public var defaultRandomStart: Bool?
    public var defaultMomentum: Double?
    public var defaultC: Double?
    public var defaultKappa: Double?
    public var defaultLearningRate: Double?
    public var defaultOvershoot: Double?
    /// The step size when the method is unbounded (bounded methods default to 2.5·ε/steps,
    /// Madry et al.'s rule).
    public var defaultUnboundedStepSize: Double?

    public init(name: String, bound: BoundUse, boundIsL2: Bool = false, target: TargetUse,
                parameters: Set<AttackParameter>, defaultSteps: Int? = nil, defaultGoal: Double? = nil,
                defaultQueries: Int? = nil, defaultRandomStart: Bool? = nil, defaultMomentum: Double? = nil,
                defaultC: Double? = nil, defaultKappa: Double? = nil, defaultLearningRate: Double? = nil,
                defaultOvershoot: Double? = nil, defaultUnboundedStepSize: Double? = nil) {
        self.name = name
        self.bound = bound
        self.boundIsL2 = boundIsL2
        self.target = target
        self.parameters = parameters
        self.defaultSteps = defaultSteps
        self.defaultGoal = defaultGoal
        self.defaultQueries = defaultQueries
        self.defaultRandomStart = defaultRandomStart
        self.defaultMomentum = defaultMomentum
        self.defaultC = defaultC
        self.defaultKappa = defaultKappa
        self.defaultLearningRate = defaultLearningRate
        self.defaultOvershoot = defaultOvershoot
        self.defaultUnboundedStepSize = defaultUnboundedStepSize
    }

    /// The ten methods of the Attacks module.
    public static let standard: [AttackMethodRules] = [
        AttackMethodRules(name: "talk", bound: .optional, target: .required,
                          parameters: [.boundModelUnits, .steps, .goal, .grid],
                          defaultSteps: 500, defaultGoal: 0.95),
        AttackMethodRules(name: "talk-sign", bound: .optional, target: .required,
                          parameters: [.boundModelUnits, .steps, .goal, .stepSize, .grid],
                          defaultSteps: 200, defaultGoal: 0.95, defaultUnboundedStepSize: 1.0 / 255),
        AttackMethodRules(name: "fgsm", bound: .required, target: .optional, parameters: [.grid]),
        AttackMethodRules(name: "bim", bound: .required, target: .optional,
                          parameters: [.steps, .goal, .stepSize, .grid], defaultSteps: 10),
        AttackMethodRules(name: "pgd", bound: .required, target: .optional,
                          parameters: [.steps, .goal, .stepSize, .grid, .randomStart],
                          defaultSteps: 10, defaultRandomStart: true),
        AttackMethodRules(name: "pgd-l2", bound: .required, boundIsL2: true, target: .optional,
                          parameters: [.steps, .goal, .stepSize, .grid, .randomStart],
                          defaultSteps: 10, defaultRandomStart: true),
        AttackMethodRules(name: "mifgsm", bound: .required, target: .optional,
                          parameters: [.steps, .goal, .stepSize, .grid, .momentum],
                          defaultSteps: 10, defaultMomentum: 1.0),
        AttackMethodRules(name: "cw", bound: .notUsed, target: .optional,
                          parameters: [.steps, .goal, .grid, .c, .kappa, .learningRate],
                          defaultSteps: 100, defaultC: 1.0, defaultKappa: 0, defaultLearningRate: 0.01),
        AttackMethodRules(name: "deepfool", bound: .notUsed, target: .forbidden,
                          parameters: [.steps, .grid, .overshoot], defaultSteps: 50, defaultOvershoot: 0.02),
        AttackMethodRules(name: "square", bound: .required, target: .optional,
                          parameters: [.queries, .goal, .grid], defaultQueries: 1000),
    ]
}
