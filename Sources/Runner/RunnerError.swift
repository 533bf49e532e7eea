/// A problem running a directive, with what to do about it.
public enum RunnerError: Error, CustomStringConvertible, Sendable {
    /// A model name the runner has no weights for.
    case unknownModel(String)
    /// The weights of a model could not be read.
    case weights(model: String, path: String, reason: String)
    /// An image the lessons name could not be decoded.
    case image(path: String, reason: String)
    /// The attack refused its configuration or failed while running.
    case attack(String)
    /// The network failed on an image.
    case network(String)
    /// A figure could not be drawn.
    case figure(name: String, reason: String)
    /// A result could not be encoded or a temporary file written.
    case output(String)

    public var description: String {
        switch self {
        case .unknownModel(let model):
            return "no weights for model '\(model)'; the models are lite0 and lite2 (Weights/<model>.safetensors)"
        case .weights(let model, let path, let reason):
            return "cannot load the \(model) weights from \(path): \(reason); regenerate them with "
                + "Weights/convert_weights.py"
        case .image(let path, let reason):
            return "cannot read the image \(path): \(reason); save it as an ordinary PNG or JPEG"
        case .attack(let reason):
            return "the attack failed: \(reason)"
        case .network(let reason):
            return "the network failed: \(reason)"
        case .figure(let name, let reason):
            return "cannot draw the \(name) figure: \(reason)"
        case .output(let reason):
            return reason
        }
    }
}
