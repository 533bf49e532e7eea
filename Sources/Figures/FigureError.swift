/// Everything that can go wrong while drawing a figure.
///
/// Figures are drawn from data a lesson author controls (images, predictions, traces), so bad
/// input is reported as an error with enough detail to find it, never as a crash.
public enum FigureError: Error, Equatable, CustomStringConvertible {
    /// Cairo reported a failure (surface creation, drawing or PNG encoding).
    case cairo(operation: String, status: String)
    /// An image whose pixel buffer does not hold `width × height × 3` bytes.
    case malformedImage(width: Int, height: Int, byteCount: Int)
    /// The original and the adversarial image differ in size.
    case imageSizeMismatch(originalWidth: Int, originalHeight: Int, adversarialWidth: Int, adversarialHeight: Int)
    /// A figure was asked to draw nothing (no predictions, no runs, no series, …).
    case noData(figure: String, what: String)
    /// Two sequences that must line up (steps and probabilities, rows and cells) do not.
    case lengthMismatch(figure: String, what: String, expected: Int, actual: Int)
    /// A number a figure cannot use (negative size, NaN probability, log scale minimum ≤ 0, …).
    case invalidValue(figure: String, what: String, value: Double)

    public var description: String {
        switch self {
        case let .cairo(operation, status):
            return "Cairo failed in \(operation): \(status)"
        case let .malformedImage(width, height, byteCount):
            return "image of \(width)×\(height) pixels needs \(max(0, width) * max(0, height) * 3) RGB bytes but has \(byteCount)"
        case let .imageSizeMismatch(ow, oh, aw, ah):
            return "the original image is \(ow)×\(oh) pixels but the adversarial image is \(aw)×\(ah)"
        case let .noData(figure, what):
            return "\(figure): nothing to draw (\(what) is empty)"
        case let .lengthMismatch(figure, what, expected, actual):
            return "\(figure): \(what) has \(actual) entries but \(expected) were expected"
        case let .invalidValue(figure, what, value):
            return "\(figure): \(what) cannot be \(value)"
        }
    }
}
