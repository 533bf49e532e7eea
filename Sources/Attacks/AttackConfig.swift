/// Everything that decides an attack's outcome, with defaults per method close to torchattacks'.
///
/// `AttackConfig(method:target:)` fills the defaults of the method; change fields afterwards.
/// Each method reads only its own fields (listed below) and ignores the rest.
///
/// | method | ε (default) | steps | step size α | goal | other fields |
/// |---|---|---|---|---|---|
/// | talk | optional (none) | 3000 | – (the gradient itself) | 0.95 | |
/// | talk-sign | optional (none) | 500 | 0.5/255 | 0.95 | |
/// | fgsm | 8/255 | 1 (fixed) | – (= ε) | – | |
/// | bim | 8/255 | 10 | ε/4 | – | |
/// | pgd | 8/255 | 10 | ε/4 | – | randomStart (true) |
/// | pgd-l2 | 1.0 (L2) | 10 | ε/5 | – | randomStart (true) |
/// | mifgsm | 8/255 | 10 | ε/4 | – | momentum (1.0) |
/// | cw | not used | 50 | – | – | cwConstant (1), cwConfidence κ (0), cwLearningRate (0.01), cwSearchRounds (1) |
/// | deepfool | not used | 50 | – | – | overshoot (0.02), candidateClasses (10) |
/// | square | 8/255 | 5000 (query budget) | – | – | squareInitialFraction (0.8) |
///
/// All read `target`, `seed` and `gridMode`. `goal` (stop as soon as p_target ≥ goal, and count
/// success only at that probability) may be set on any targeted method. ε may be written in
/// image units (`Epsilon(parsing: "2/255")`), grey levels or model-input units
/// (`.modelInput(0.01)`, the talk's bound). In grid mode the sign-step sizes are rounded to whole
/// grey levels (at least one), see ``effectiveStepSize(modelInputScale:)``.
public struct AttackConfig: Codable, Sendable, Hashable {
    /// Which attack to run.
    public var method: AttackMethod
    /// Target class index; nil for an untargeted attack (push the original top-1 class down).
    public var target: Int?
    /// The perturbation bound (L∞, or L2 for `pgd-l2`); nil means unbounded where allowed.
    public var epsilon: Epsilon?
    /// Step limit (iterations); for `square` the query budget, the initial query included.
    public var steps: Int
    /// Step size on the [0,1] scale; nil means the method's default relative to ε (see the table).
    public var stepSize: Double?
    /// Stop as soon as the target probability reaches this (targeted only); also the success bar.
    public var goal: Double?
    /// PGD: start from a uniformly random point of the ε-ball (seeded) instead of the original.
    public var randomStart: Bool
    /// MI-FGSM: decay factor μ of the accumulated gradient.
    public var momentum: Double
    /// C&W: the constant c weighing the margin term against ‖δ‖² (the initial c with a search).
    public var cwConstant: Double
    /// C&W: the confidence κ: the margin the target must win by.
    public var cwConfidence: Double
    /// C&W: Adam's learning rate in tanh space.
    public var cwLearningRate: Double
    /// C&W: rounds of the binary search over c, each of `steps` Adam steps; 1 keeps c fixed.
    public var cwSearchRounds: Int
    /// DeepFool: how far past the linearised boundary to step (total perturbation × (1 + overshoot)).
    public var overshoot: Double
    /// DeepFool: how many of the original top classes to consider as the nearest boundary.
    public var candidateClasses: Int
    /// Square: initial fraction p of pixels in the square, reduced on the paper's schedule.
    public var squareInitialFraction: Double
    /// Seed of every random choice (random start, Square's squares). Same seed → same result.
    public var seed: UInt64
    /// Keep every iterate on the 8-bit grid (and in the ball), so that every probability the
    /// attack sees, including the goal check, is that of an image that can be saved as it is.
    /// Sign-step sizes are then rounded to whole grey levels (at least 1); C&W and DeepFool keep
    /// their float variables and evaluate the rounded image.
    public var gridMode: Bool

    /// The defaults of `method` (see the table in the type's documentation).
    public init(method: AttackMethod, target: Int? = nil) {
        self.method = method
        self.target = target
        self.stepSize = nil
        self.randomStart = false
        self.momentum = 1.0
        self.cwConstant = 1.0
        self.cwConfidence = 0
        self.cwLearningRate = 0.01
        self.cwSearchRounds = 1
        self.overshoot = 0.02
        self.candidateClasses = 10
        self.squareInitialFraction = 0.8
        self.seed = 0
        self.gridMode = false
        self.goal = nil
        switch method {
        case .talk:
            epsilon = nil; steps = 3000; goal = 0.95
        case .talkSign:
            epsilon = nil; steps = 500; goal = 0.95
        case .fgsm:
            epsilon = Epsilon(8.0 / 255); steps = 1
        case .bim, .mifgsm:
            epsilon = Epsilon(8.0 / 255); steps = 10
        case .pgd:
            epsilon = Epsilon(8.0 / 255); steps = 10; randomStart = true
        case .pgdL2:
            epsilon = Epsilon(1.0); steps = 10; randomStart = true
        case .cw, .deepfool:
            epsilon = nil; steps = 50
        case .square:
            epsilon = Epsilon(8.0 / 255); steps = 5000
        }
    }

    /// The step size the method uses when `stepSize` is nil, on the [0,1] scale.
    /// nil for methods without a step size (talk, fgsm, cw, deepfool, square).
    public func defaultStepSize(epsilonImageUnits: Double?) -> Double? {
        switch method {
        case .talkSign: return 0.5 / 255
        case .bim, .pgd, .mifgsm: return epsilonImageUnits.map { $0 / 4 }
        case .pgdL2: return epsilonImageUnits.map { $0 / 5 }
        case .talk, .fgsm, .cw, .deepfool, .square: return nil
        }
    }

    /// The step size that will be used: `stepSize` or the method's default. In grid mode the
    /// sign-step methods (talk-sign, bim, pgd, mifgsm) round it to whole grey levels, at least one:
    /// a sign step of half a level would be rounded away on the grid and the attack would stall.
    public func effectiveStepSize(modelInputScale: Float) -> Double? {
        guard usesStepSize else { return nil }
        let epsilonImageUnits = epsilon?.imageUnits(modelInputScale: modelInputScale)
        guard let size = stepSize ?? defaultStepSize(epsilonImageUnits: epsilonImageUnits) else { return nil }
        if gridMode, method != .pgdL2 {
            return max(1, (size * 255).rounded()) / 255
        }
        return size
    }

    /// Whether the method reads `stepSize`.
    public var usesStepSize: Bool {
        switch method {
        case .talkSign, .bim, .pgd, .pgdL2, .mifgsm: return true
        case .talk, .fgsm, .cw, .deepfool, .square: return false
        }
    }

    /// Checks every field the method reads against the network's shape, so that errors appear
    /// before anything runs. ``runAttack(_:on:image:progress:)`` calls it first.
    public func validate(imageSide: Int, classCount: Int, modelInputScale: Float) throws(AttackError) {
        guard imageSide > 0 else { throw .unusableClassifier("image side \(imageSide) is not positive") }
        guard classCount >= 2 else { throw .unusableClassifier("\(classCount) classes; an attack needs at least 2") }
        guard modelInputScale.isFinite, modelInputScale > 0 else {
            throw .unusableClassifier("model input scale \(modelInputScale) is not a positive number")
        }

        if let target {
            guard method.canBeTargeted else { throw .methodCannotBeTargeted(method) }
            guard target >= 0, target < classCount else {
                throw .targetOutOfRange(target: target, classCount: classCount)
            }
        } else if method.requiresTarget {
            throw .targetRequired(method)
        }

        if let goal {
            guard goal.isFinite, goal > 0, goal < 1 else { throw .goalOutOfRange(goal) }
            guard target != nil else { throw .goalWithoutTarget(method) }
        }

        guard steps > 0 else { throw .stepsNotPositive(steps) }
        if method == .fgsm, steps != 1 { throw .singleStepMethod(method: method, steps: steps) }

        switch (method.epsilonUse, epsilon) {
        case (.required, nil):
            throw .epsilonRequired(method)
        case (.notUsed, .some):
            throw .epsilonNotUsed(method)
        case (_, .some(let epsilon)):
            let value = epsilon.imageUnits(modelInputScale: modelInputScale)
            let inRange = method.epsilonNorm == .l2 ? (value.isFinite && value > 0) : (value > 0 && value < 1)
            guard inRange else { throw .epsilonOutOfRange(method: method, imageUnits: value) }
            if gridMode, method.epsilonNorm == .linf, wholeGreyLevels(value) < 1 {
                throw .epsilonBelowOneGreyLevel(imageUnits: value)
            }
        default:
            break
        }

        if usesStepSize, let stepSize {
            guard stepSize.isFinite, stepSize > 0 else { throw .stepSizeNotPositive(stepSize) }
        }

        switch method {
        case .mifgsm:
            try requireInRange("momentum", momentum, "0 or greater (1.0 in the paper)") { $0 >= 0 }
        case .cw:
            try requireInRange("cwConstant", cwConstant, "greater than 0, e.g. 1") { $0 > 0 }
            try requireInRange("cwConfidence", cwConfidence, "0 or greater") { $0 >= 0 }
            try requireInRange("cwLearningRate", cwLearningRate, "greater than 0, e.g. 0.01") { $0 > 0 }
            try requireInRange("cwSearchRounds", Double(cwSearchRounds), "at least 1 (1 keeps c fixed)") { $0 >= 1 }
        case .deepfool:
            try requireInRange("overshoot", overshoot, "0 or greater, e.g. 0.02") { $0 >= 0 }
            try requireInRange("candidateClasses", Double(candidateClasses),
                               "between 2 and the number of classes (\(classCount))") {
                $0 >= 2 && $0 <= Double(classCount)
            }
        case .square:
            try requireInRange("squareInitialFraction", squareInitialFraction, "greater than 0 and at most 1") {
                $0 > 0 && $0 <= 1
            }
        case .talk, .talkSign, .fgsm, .bim, .pgd, .pgdL2:
            break
        }
    }

    private func requireInRange(
        _ name: String, _ value: Double, _ allowed: String, _ isValid: (Double) -> Bool
    ) throws(AttackError) {
        guard value.isFinite, isValid(value) else {
            throw .parameterOutOfRange(name: name, value: value, allowed: allowed)
        }
    }

    // MARK: Codable: a missing key takes the method's default, an explicit null means nil.

    enum CodingKeys: String, CodingKey {
        case method, target, epsilon, steps, stepSize, goal, randomStart, momentum
        case cwConstant, cwConfidence, cwLearningRate, cwSearchRounds
        case overshoot, candidateClasses, squareInitialFraction, seed, gridMode
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var config = AttackConfig(method: try container.decode(AttackMethod.self, forKey: .method))
        func optional<T: Decodable>(_ key: CodingKeys, _ current: T?) throws -> T? {
            container.contains(key) ? try container.decodeIfPresent(T.self, forKey: key) : current
        }
        func required<T: Decodable>(_ key: CodingKeys, _ current: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? current
        }
        config.target = try optional(.target, config.target)
        config.epsilon = try optional(.epsilon, config.epsilon)
        config.steps = try required(.steps, config.steps)
        config.stepSize = try optional(.stepSize, config.stepSize)
        config.goal = try optional(.goal, config.goal)
        config.randomStart = try required(.randomStart, config.randomStart)
        config.momentum = try required(.momentum, config.momentum)
        config.cwConstant = try required(.cwConstant, config.cwConstant)
        config.cwConfidence = try required(.cwConfidence, config.cwConfidence)
        config.cwLearningRate = try required(.cwLearningRate, config.cwLearningRate)
        config.cwSearchRounds = try required(.cwSearchRounds, config.cwSearchRounds)
        config.overshoot = try required(.overshoot, config.overshoot)
        config.candidateClasses = try required(.candidateClasses, config.candidateClasses)
        config.squareInitialFraction = try required(.squareInitialFraction, config.squareInitialFraction)
        config.seed = try required(.seed, config.seed)
        config.gridMode = try required(.gridMode, config.gridMode)
        self = config
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        // Optionals are written even when nil, so that a null survives the round trip instead of
        // turning into the method's default.
        try container.encode(target, forKey: .target)
        try container.encode(epsilon, forKey: .epsilon)
        try container.encode(steps, forKey: .steps)
        try container.encode(stepSize, forKey: .stepSize)
        try container.encode(goal, forKey: .goal)
        try container.encode(randomStart, forKey: .randomStart)
        try container.encode(momentum, forKey: .momentum)
        try container.encode(cwConstant, forKey: .cwConstant)
        try container.encode(cwConfidence, forKey: .cwConfidence)
        try container.encode(cwLearningRate, forKey: .cwLearningRate)
        try container.encode(cwSearchRounds, forKey: .cwSearchRounds)
        try container.encode(overshoot, forKey: .overshoot)
        try container.encode(candidateClasses, forKey: .candidateClasses)
        try container.encode(squareInitialFraction, forKey: .squareInitialFraction)
        try container.encode(seed, forKey: .seed)
        try container.encode(gridMode, forKey: .gridMode)
    }
}
