/// EfficientNet's MBConv block without squeeze-excite (the "Lite" form): an optional 1×1
/// expansion with ReLU6, a k×k depthwise convolution with ReLU6, a linear 1×1 projection, and a
/// skip connection when the block keeps both the resolution and the channel count.
struct InvertedResidualBlock: Sendable {
    let expansion: PointwiseConvolution?
    let depthwise: DepthwiseConvolution
    let projection: PointwiseConvolution
    let inChannels: Int
    let outChannels: Int
    var stride: Int { depthwise.stride }
    var hasSkip: Bool { stride == 1 && inChannels == outChannels }
    var expandedChannels: Int { depthwise.channels }

    init(file: SafeTensorsFile, index: Int, stride: Int) throws {
        let prefix = "_blocks.\(index)."
        if file.tensors[prefix + "_expand_conv.weight"] != nil {
            expansion = try PointwiseConvolution(file: file, weight: prefix + "_expand_conv.weight",
                                                 batchNorm: prefix + "_bn0", relu6: true)
        } else {
            expansion = nil
        }
        depthwise = try DepthwiseConvolution(file: file, weight: prefix + "_depthwise_conv.weight",
                                             batchNorm: prefix + "_bn1", stride: stride)
        projection = try PointwiseConvolution(file: file, weight: prefix + "_project_conv.weight",
                                              batchNorm: prefix + "_bn2", relu6: false)
        inChannels = expansion?.inChannels ?? depthwise.channels
        outChannels = projection.outChannels
        if let expansion, expansion.outChannels != depthwise.channels {
            throw EngineError.unexpectedShape(path: file.path, name: prefix + "_depthwise_conv.weight",
                                              expected: [expansion.outChannels, 1, depthwise.kernel, depthwise.kernel],
                                              found: [depthwise.channels, 1, depthwise.kernel, depthwise.kernel])
        }
        if projection.inChannels != depthwise.channels {
            throw EngineError.unexpectedShape(path: file.path, name: prefix + "_project_conv.weight",
                                              expected: [outChannels, depthwise.channels, 1, 1],
                                              found: [outChannels, projection.inChannels, 1, 1])
        }
    }

    /// Whether ``backward(outputGradient:batch:side:buffers:inputMask:depthwiseGradient:expandedGradient:inputGradient:clock:)``
    /// can apply its input's ReLU6 mask: only when the depthwise layer writes dx itself.
    var masksInputGradient: Bool { expansion == nil && !hasSkip }

    /// The activations a block keeps for its backward pass.
    struct Buffers {
        /// `[batch × side × side × expanded]`, absent without an expansion (the input is used).
        var expanded: UnsafeMutablePointer<Float>?
        /// `[batch × out × out × expanded]`
        var depthwise: UnsafeMutablePointer<Float>
        /// `[batch × out × out × outChannels]`
        var output: UnsafeMutablePointer<Float>
    }

    /// x: `[batch × side × side × in]` → buffers.output: `[batch × out × out × outChannels]`.
    func forward(_ x: UnsafePointer<Float>, batch: Int, side: Int, buffers: Buffers, clock: LayerClock? = nil) {
        var depthwiseInput = x
        if let expansion, let expanded = buffers.expanded {
            clock.measure(.expansion) { expansion.forward(x, pixels: batch * side * side, into: expanded) }
            depthwiseInput = UnsafePointer(expanded)
        }
        clock.measure(.depthwise) { depthwise.forward(depthwiseInput, batch: batch, side: side, into: buffers.depthwise) }
        let outSide = depthwise.outputSide(side)
        clock.measure(.projection) {
            projection.forward(buffers.depthwise, pixels: batch * outSide * outSide, into: buffers.output,
                               residual: hasSkip ? x : nil)
        }
    }

    /// doutput → dx. `dDepthwise` (`[batch × out × out × expanded]`) and `dExpanded`
    /// (`[batch × side × side × expanded]`) are scratch; `doutput` is left intact.
    /// `inputMask`: the block's input when it is a ReLU6 output and ``masksInputGradient``;
    /// dx then comes out multiplied by its mask (the depthwise gather applies it per pixel).
    func backward(
        outputGradient doutput: UnsafePointer<Float>, batch: Int, side: Int, buffers: Buffers,
        inputMask: UnsafePointer<Float>? = nil,
        depthwiseGradient dDepthwise: UnsafeMutablePointer<Float>,
        expandedGradient dExpanded: UnsafeMutablePointer<Float>,
        inputGradient dx: UnsafeMutablePointer<Float>,
        clock: LayerClock? = nil
    ) {
        let outSide = depthwise.outputSide(side)
        // The projection is linear: its backward reads doutput without masking it, and applies
        // the depthwise layer's ReLU6 mask to dDepthwise as its product finishes.
        clock.measure(.projection, backward: true) {
            projection.backward(outputGradient: UnsafeMutablePointer(mutating: doutput), output: buffers.output,
                                pixels: batch * outSide * outSide, inputGradient: dDepthwise,
                                inputMask: buffers.depthwise)
        }
        let depthwiseInputGradient = buffers.expanded == nil ? dx : dExpanded
        // With an expansion the depthwise layer's input is a ReLU6 output: its mask is applied
        // to each pixel of dExpanded as the gather finishes it, so the expansion need not.
        clock.measure(.depthwise, backward: true) {
            depthwise.backward(outputGradient: dDepthwise, batch: batch, side: side,
                               inputMask: buffers.expanded.map { UnsafePointer($0) } ?? inputMask,
                               inputGradient: depthwiseInputGradient)
        }
        if let expansion, let expanded = buffers.expanded {
            clock.measure(.expansion, backward: true) {
                expansion.backward(outputGradient: dExpanded, output: expanded, pixels: batch * side * side,
                                   inputGradient: dx, outputGradientIsMasked: true)
            }
        }
        if hasSkip {
            let count = batch * side * side * inChannels
            let parts = Compute.threadCount
            clock.measure(.skip, backward: true) {
                Compute.parallel(parts) { part in
                    for i in Compute.chunk(part, of: parts, total: count, granule: 16) { dx[i] += doutput[i] }
                }
            }
        }
    }
}
