/// Folds an inference-mode BatchNorm (`γ (z − μ) / √(σ² + ε) + β`) into the convolution before
/// it: every output channel's weights are scaled by `γ / √(σ² + ε)` and the shift becomes a bias.
/// EfficientNet-Lite's checkpoints were trained with ε = 1e-3.
struct FoldedConvolution {
    /// Weights with the output channel first (`[out × rest]`), scaled.
    var weights: [Float]
    /// `[out]`
    var bias: [Float]

    static let batchNormEpsilon: Float = 1e-3

    init(weights: Tensor, batchNorm prefix: String, from file: SafeTensorsFile) throws {
        let outChannels = weights.shape[0]
        let perChannel = weights.count / outChannels
        let gamma = try file.tensor(prefix + ".weight", shape: [outChannels]).values
        let beta = try file.tensor(prefix + ".bias", shape: [outChannels]).values
        let mean = try file.tensor(prefix + ".running_mean", shape: [outChannels]).values
        let variance = try file.tensor(prefix + ".running_var", shape: [outChannels]).values
        var folded = weights.values
        var bias = [Float](repeating: 0, count: outChannels)
        for channel in 0..<outChannels {
            // In double: the fold should add no error of its own on top of float32 weights.
            let scale = Double(gamma[channel]) / (Double(variance[channel]) + Double(Self.batchNormEpsilon)).squareRoot()
            for i in 0..<perChannel {
                folded[channel * perChannel + i] = Float(Double(folded[channel * perChannel + i]) * scale)
            }
            bias[channel] = Float(Double(beta[channel]) - Double(mean[channel]) * scale)
        }
        self.weights = folded
        self.bias = bias
    }
}
