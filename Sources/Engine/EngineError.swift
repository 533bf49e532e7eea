/// Everything the engine can refuse, with a message that names the file and says what to do.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    case fileUnreadable(path: String, reason: String)
    case corruptWeights(path: String, reason: String)
    case missingTensor(path: String, name: String)
    case unexpectedShape(path: String, name: String, expected: [Int], found: [Int])
    case badInput(String)
    case unreadableLabels(path: String, reason: String)
    case unknownClass(name: String, suggestions: [String])
    case weightsNotFound(searched: [String])
    case matrixLibraryUnavailable(library: String, reason: String)
    case wrongMatrixProducts(kernels: String, detail: String)

    public var description: String {
        switch self {
        case let .fileUnreadable(path, reason):
            return "\(path): cannot read the file (\(reason))"
        case let .corruptWeights(path, reason):
            return "\(path): not a valid safetensors weights file: \(reason). Regenerate it with Weights/convert_weights.py."
        case let .missingTensor(path, name):
            return "\(path): tensor '\(name)' is missing; is this an EfficientNet-Lite checkpoint?"
        case let .unexpectedShape(path, name, expected, found):
            return "\(path): tensor '\(name)' has shape \(found), expected \(expected)"
        case let .badInput(message):
            return message
        case let .unreadableLabels(path, reason):
            return "\(path): cannot read the class labels: \(reason)"
        case let .unknownClass(name, suggestions):
            let hint = suggestions.isEmpty ? "" : " Did you mean: \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?"
            return "unknown ImageNet class '\(name)'.\(hint) A class index 0–999 also works."
        case let .matrixLibraryUnavailable(library, reason):
            return "cannot load OpenBLAS (\(library)): \(reason). Install it with scripts/install-dependencies.sh (Debian package libopenblas0-pthread)."
        case let .wrongMatrixProducts(kernels, detail):
            return "OpenBLAS's \(kernels) kernels compute wrong matrix products on this CPU: \(detail). Choose other kernels with OPENBLAS_CORETYPE (for example Haswell, Sandybridge or Prescott) or install another OpenBLAS build."
        case let .weightsNotFound(searched):
            return "cannot find the Weights folder (looked in \(searched.joined(separator: ", "))); run from the project folder or pass --weights DIR"
        }
    }
}
