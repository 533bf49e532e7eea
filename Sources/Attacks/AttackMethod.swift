import Engine
/// The attacks this module runs, named as on the command line.
public enum AttackMethod: String, CaseIterable, Codable, Sendable, Hashable {
    /// The talk's update, faithfully: `x_model += ∂p_target/∂x_model` each step (model-input units).
    case talk
    /// The talk's idea with a working optimiser: sign steps ascending log p_target.
    case talkSign = "talk-sign"
    /// Fast Gradient Sign Method (Goodfellow et al. 2015): one step of size ε.
    case fgsm
    /// Basic Iterative Method / I-FGSM (Kurakin et al. 2017): sign steps from the original image.
    case bim
    /// Projected Gradient Descent, L∞ (Madry et al. 2018): BIM from a random start in the ε-ball.
    case pgd
    /// Projected Gradient Descent, L2: normalised gradient steps, projection onto the L2 ball.
    case pgdL2 = "pgd-l2"
    /// Momentum Iterative FGSM (Dong et al. 2018).
    case mifgsm
    /// Carlini–Wagner L2 (2017): Adam in tanh space on ‖δ‖² + c·f(x).
    case cw
    /// DeepFool (Moosavi-Dezfooli et al. 2016): linearised steps to the nearest decision boundary.
    case deepfool
    /// Square Attack L∞ (Andriushchenko et al. 2020): black box, output probabilities only.
    case square

    /// How the method uses the ε bound.
    public enum EpsilonUse: Sendable {
        /// The method is defined by its ε-ball.
        case required
        /// The ball is optional (the talk ran both unbounded and bounded).
        case optional
        /// The method finds its own (L2) size; an ε would be ignored, so it is refused.
        case notUsed
    }

    /// Whether and how the method reads `AttackConfig.epsilon`.
    public var epsilonUse: EpsilonUse {
        switch self {
        case .talk, .talkSign: return .optional
        case .fgsm, .bim, .pgd, .pgdL2, .mifgsm, .square: return .required
        case .cw, .deepfool: return .notUsed
        }
    }

    /// The norm in which ε is measured for this method (L2 only for `pgd-l2`).
    public var epsilonNorm: PerturbationNorm {
        self == .pgdL2 ? .l2 : .linf
    }

    /// Whether a target class may be given. DeepFool is untargeted by construction.
    public var canBeTargeted: Bool { self != .deepfool }

    /// Whether a target class must be given: the talk's attacks push towards a class.
    public var requiresTarget: Bool { self == .talk || self == .talkSign }

    /// Whether the method needs the gradient (white box) or only output probabilities.
    public var isBlackBox: Bool { self == .square }

    /// One line for help texts and lesson captions.
    public var summary: String {
        switch self {
        case .talk:
            return "the talk's attack as written: x += ∂p_target/∂x in model units (stalls when p is tiny)"
        case .talkSign:
            return "the talk's idea with a working optimiser: sign steps up log p_target (not the talk's update)"
        case .fgsm: return "FGSM: one signed-gradient step of size ε"
        case .bim: return "BIM / I-FGSM: repeated signed-gradient steps, clipped to the ε-ball"
        case .pgd: return "PGD L∞: BIM from a random start in the ε-ball"
        case .pgdL2: return "PGD L2: normalised gradient steps, projected onto the L2 ball of radius ε"
        case .mifgsm: return "MI-FGSM: signed steps of an accumulated, L1-normalised gradient (momentum)"
        case .cw: return "Carlini–Wagner L2: Adam in tanh space on ‖δ‖² + c·margin; keeps the smallest success"
        case .deepfool: return "DeepFool: linearised steps to the nearest decision boundary (untargeted)"
        case .square: return "Square Attack L∞: random square updates, output probabilities only (black box)"
        }
    }

    /// Reads a command-line name, suggesting the nearest names when it is unknown.
    public init(parsing name: String) throws(AttackError) {
        let cleaned = name.trimmingWhitespace().lowercased()
        if let method = AttackMethod(rawValue: cleaned) {
            self = method
            return
        }
        let aliases: [String: AttackMethod] = [
            "i-fgsm": .bim, "ifgsm": .bim, "pgdl2": .pgdL2, "pgd_l2": .pgdL2, "mi-fgsm": .mifgsm,
            "carlini-wagner": .cw, "carlini": .cw, "talk_sign": .talkSign, "talksign": .talkSign,
        ]
        if let method = aliases[cleaned] {
            self = method
            return
        }
        let limit = max(2, cleaned.count / 2)
        var ranked: [(name: String, distance: Int)] = []
        for method in AttackMethod.allCases {
            let distance = ImageNetLabels.editDistance(Array(method.rawValue), Array(cleaned))
            if distance <= limit { ranked.append((method.rawValue, distance)) }
        }
        ranked.sort { left, right in
            left.distance != right.distance ? left.distance < right.distance : left.name < right.name
        }
        throw .unknownMethod(name: name, suggestions: ranked.prefix(2).map { $0.name })
    }
}

/// The norm a bound or a perturbation size is measured in.
public enum PerturbationNorm: String, Codable, Sendable, Hashable {
    case linf
    case l2
}


extension StringProtocol {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
