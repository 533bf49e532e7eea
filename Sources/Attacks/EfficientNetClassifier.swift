import Engine

/// EfficientNet-Lite seen through the ``Classifier`` protocol: images on the [0,1] scale are
/// mapped to the network's `(pixel − 127) / 128`, i.e. `x_model = (255·x − 127) / 128`, and the
/// gradient is carried back by the same factor, `∂L/∂x = ∂L/∂x_model · 255/128`.
public final class EfficientNetClassifier: Classifier {
    public let network: EfficientNetLite

    public init(_ network: EfficientNetLite) {
        self.network = network
    }

    public convenience init(weights: EfficientNetLiteWeights) {
        self.init(EfficientNetLite(weights))
    }

    public var imageSide: Int { network.inputSize }
    public var classCount: Int { network.classCount }
    public var modelInputScale: Float { Self.inputScale }
    /// Model-input units per [0,1] image unit: the input is `(pixel − 127) / 128`.
    public static let inputScale: Float = 255 / 128

    public func logits(images: [Float], count: Int) throws -> [Float] {
        try network.logits(input: Self.modelInput(images), batch: count)
    }

    public func logitsAndGradient(
        images: [Float], count: Int, lossGradient: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradient: [Float]) {
        var (logits, gradient) = try network.logitsAndInputGradient(input: Self.modelInput(images), batch: count) { lossGradient($0) }
        let scale = modelInputScale
        gradient.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] *= scale }
        }
        return (logits, gradient)
    }

    /// One forward and one backward per row (``EfficientNetLite/logitsAndInputGradients(input:rows:logitGradients:)``).
    public func logitsAndGradients(
        image: [Float], rows: Int, lossGradients: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradients: [Float]) {
        var (logits, gradients) = try network.logitsAndInputGradients(input: Self.modelInput(image), rows: rows) {
            lossGradients($0)
        }
        let scale = modelInputScale
        gradients.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] *= scale }
        }
        return (logits, gradients)
    }

    static func modelInput(_ images: [Float]) -> [Float] {
        var input = images
        input.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] = (255 * values[i] - 127) / 128 }
        }
        return input
    }
}
