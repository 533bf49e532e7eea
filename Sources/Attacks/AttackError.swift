/// Everything that can be wrong with an attack request, found before any network call where
/// possible, and the few things that can go wrong with the network's answers.
///
/// Each message names the bad value and says what would be accepted, so a user of the command
/// line or of a lesson directive can fix the input without reading this code.
public enum AttackError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The ε text is neither a decimal number ("0.004") nor a fraction ("8/255").
    case unreadableEpsilon(String)
    /// ε, converted to the [0,1] image scale, is not inside the range the method accepts.
    case epsilonOutOfRange(method: AttackMethod, imageUnits: Double)
    /// The method needs an ε bound and none was given.
    case epsilonRequired(AttackMethod)
    /// The method has no ε bound (C&W and DeepFool look for the smallest L2 perturbation).
    case epsilonNotUsed(AttackMethod)
    /// In grid mode an L∞ bound below one grey level leaves the 8-bit image nowhere to move.
    case epsilonBelowOneGreyLevel(imageUnits: Double)
    /// The step (or query) limit is zero or negative.
    case stepsNotPositive(Int)
    /// FGSM takes exactly one step by definition.
    case singleStepMethod(method: AttackMethod, steps: Int)
    /// The goal probability is not strictly between 0 and 1.
    case goalOutOfRange(Double)
    /// A goal probability was given without a target class to reach it for.
    case goalWithoutTarget(AttackMethod)
    /// The step size is zero, negative or not a number.
    case stepSizeNotPositive(Double)
    /// The method is untargeted by construction (DeepFool) but a target was given.
    case methodCannotBeTargeted(AttackMethod)
    /// The method pushes towards a class (the talk's attacks) but no target was given.
    case targetRequired(AttackMethod)
    /// The target index is not a class of the network.
    case targetOutOfRange(target: Int, classCount: Int)
    /// A method-specific parameter is outside its meaningful range.
    case parameterOutOfRange(name: String, value: Double, allowed: String)
    /// A method name that is not one of `AttackMethod.allCases`.
    case unknownMethod(name: String, suggestions: [String])
    /// The image does not have `side × side × 3` bytes.
    case imageSizeMismatch(expectedBytes: Int, actualBytes: Int, side: Int)
    /// The classifier reports an impossible shape or scale.
    case unusableClassifier(String)
    /// The classifier returned an array of the wrong length.
    case classifierOutputSize(what: String, expected: Int, actual: Int)
    /// The classifier returned NaN or infinity.
    case classifierNonFiniteOutput(what: String)

    public var description: String {
        switch self {
        case .unreadableEpsilon(let text):
            return "cannot read ε \"\(text)\": write a number on the [0,1] image scale such as 0.004, "
                + "or a fraction of grey levels such as 8/255"
        case .epsilonOutOfRange(let method, let value):
            if method.epsilonNorm == .l2 {
                return "ε = \(value) is not a usable L2 radius for \(method.rawValue): it must be a finite "
                    + "number greater than 0 on the [0,1] image scale (torchattacks' default is 1.0)"
            }
            return "ε = \(value) on the [0,1] image scale is out of range for \(method.rawValue): it must be "
                + "greater than 0 and less than 1, e.g. 8/255 (= 8 grey levels) or 0.004"
        case .epsilonRequired(let method):
            return "\(method.rawValue) needs an ε bound, e.g. 8/255"
        case .epsilonNotUsed(let method):
            return "\(method.rawValue) takes no ε bound: it searches for the smallest L2 perturbation itself; "
                + "remove ε or choose pgd-l2 for an L2-bounded attack"
        case .epsilonBelowOneGreyLevel(let value):
            return "ε = \(value) is \(formatted(value * 255)) grey levels, less than one: in grid mode the 8-bit "
                + "image could not change at all; use at least 1/255 or switch grid mode off"
        case .stepsNotPositive(let steps):
            return "steps = \(steps): the number of steps (queries for square) must be at least 1"
        case .singleStepMethod(let method, let steps):
            return "\(method.rawValue) takes exactly one step, not \(steps); use bim or pgd for several steps"
        case .goalOutOfRange(let goal):
            return "goal = \(goal): the goal probability must be greater than 0 and less than 1, e.g. 0.95"
        case .goalWithoutTarget(let method):
            return "a goal probability needs a target class; give \(method.rawValue) a target or remove the goal"
        case .stepSizeNotPositive(let size):
            return "step size = \(size): it must be a number greater than 0 on the [0,1] image scale, e.g. 0.5/255"
        case .methodCannotBeTargeted(let method):
            return "\(method.rawValue) is untargeted: it moves the image just past the nearest decision boundary. "
                + "Remove the target, or use a targeted method such as pgd or cw"
        case .targetRequired(let method):
            return "\(method.rawValue) pushes the image towards a class: give a target (class name or index)"
        case .targetOutOfRange(let target, let classCount):
            return "target class \(target) does not exist: the network has classes 0...\(classCount - 1)"
        case .parameterOutOfRange(let name, let value, let allowed):
            return "\(name) = \(value) is out of range: it must be \(allowed)"
        case .unknownMethod(let name, let suggestions):
            let known = AttackMethod.allCases.map(\.rawValue).joined(separator: ", ")
            let hint = suggestions.isEmpty ? "" : " Did you mean \(suggestions.joined(separator: " or "))?"
            return "unknown attack method \"\(name)\"; the methods are \(known).\(hint)"
        case .imageSizeMismatch(let expected, let actual, let side):
            return "the image has \(actual) bytes but the network takes \(side)×\(side) RGB images "
                + "(\(expected) bytes): resize or crop it to \(side)×\(side) first"
        case .unusableClassifier(let reason):
            return "the classifier cannot be attacked: \(reason)"
        case .classifierOutputSize(let what, let expected, let actual):
            return "the classifier returned \(actual) values for \(what), expected \(expected)"
        case .classifierNonFiniteOutput(let what):
            return "the classifier returned NaN or infinity in \(what); check the weights and the input image"
        }
    }
}

/// A short decimal form for messages.
func formatted(_ value: Double, digits: Int = 3) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return "\(rounded)"
}
