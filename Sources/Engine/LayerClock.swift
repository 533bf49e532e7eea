import Dispatch

/// The kinds of work in a forward or backward pass, for the benchmark's time split.
public enum LayerKind: String, CaseIterable, Codable, Sendable {
    case stem, expansion, depthwise, projection, head, classifier, skip
}

/// Accumulates wall time per layer kind and direction while profiling is switched on; when it
/// is off the model passes no clock and pays nothing.
final class LayerClock {
    private(set) var forward: [LayerKind: Double] = [:]
    private(set) var backward: [LayerKind: Double] = [:]

    @inline(__always)
    func measure(_ kind: LayerKind, backward isBackward: Bool, _ body: () -> Void) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        if isBackward { backward[kind, default: 0] += elapsed } else { forward[kind, default: 0] += elapsed }
    }

    func reset() {
        forward = [:]
        backward = [:]
    }
}

extension Optional where Wrapped == LayerClock {
    /// Runs `body`, timing it when a clock is present.
    @inline(__always)
    func measure(_ kind: LayerKind, backward: Bool = false, _ body: () -> Void) {
        if let clock = self { clock.measure(kind, backward: backward, body) } else { body() }
    }
}
