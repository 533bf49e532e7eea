import Foundation

/// The EfficientNet-Lite models whose ImageNet weights ship in `Weights/`.
public enum ModelVariant: String, CaseIterable, Sendable, Codable {
    case lite0, lite2

    /// The side of the square images the model was trained on.
    public var inputSize: Int {
        switch self {
        case .lite0: return 224
        case .lite2: return 260
        }
    }

    public var weightsFileName: String { "\(rawValue).safetensors" }
    public var displayName: String { "EfficientNet-Lite\(rawValue.dropFirst(4))" }
}

/// EfficientNet-Lite's architecture with its BatchNorm-folded weights: immutable, shared freely
/// between threads. Each thread runs it through its own ``EfficientNetLite``.
public struct EfficientNetLiteWeights: Sendable {
    public let inputSize: Int
    public let classCount: Int
    /// Where the weights were read from.
    public let path: String
    let stem: StemConvolution
    let blocks: [InvertedResidualBlock]
    let head: PointwiseConvolution
    let classifier: PooledClassifier

    /// Builds the network described by the tensors of an EfficientNet-Lite checkpoint (the
    /// `_conv_stem`, `_blocks.N.*`, `_conv_head`, `_fc` names of the PyTorch port).
    public init(file: SafeTensorsFile, inputSize: Int) throws {
        self.inputSize = inputSize
        path = file.path
        stem = try StemConvolution(file: file, weight: "_conv_stem.weight", batchNorm: "_bn0")
        let blockIndices = file.tensors.keys.compactMap { name -> Int? in
            guard name.hasPrefix("_blocks.") else { return nil }
            return Int(name.dropFirst("_blocks.".count).prefix { $0 != "." })
        }
        guard let lastBlock = blockIndices.max() else {
            throw EngineError.missingTensor(path: file.path, name: "_blocks.0._depthwise_conv.weight")
        }
        // Stages are runs of blocks with the same output width; the first block of stages 2, 3, 4
        // and 6 halves the resolution (EfficientNet-B0's layout, which every Lite variant keeps).
        var blocks: [InvertedResidualBlock] = []
        var stage = 1
        var previousWidth: Int?
        for index in 0...lastBlock {
            let width = try file.tensor("_blocks.\(index)._project_conv.weight").shape[0]
            let startsStage = previousWidth != nil && previousWidth != width
            if startsStage { stage += 1 }
            let stride = (startsStage || index == 0) && [2, 3, 4, 6].contains(stage) ? 2 : 1
            blocks.append(try InvertedResidualBlock(file: file, index: index, stride: stride))
            previousWidth = width
        }
        self.blocks = blocks
        head = try PointwiseConvolution(file: file, weight: "_conv_head.weight", batchNorm: "_bn1", relu6: true)
        classifier = try PooledClassifier(file: file, weight: "_fc.weight", bias: "_fc.bias")
        classCount = classifier.classes
        var channels = stem.outChannels
        for (index, block) in blocks.enumerated() {
            guard block.inChannels == channels else {
                throw EngineError.unexpectedShape(path: file.path, name: "_blocks.\(index)", expected: [channels], found: [block.inChannels])
            }
            channels = block.outChannels
        }
        guard head.inChannels == channels, classifier.features == head.outChannels else {
            throw EngineError.unexpectedShape(path: file.path, name: "_conv_head.weight",
                                              expected: [classifier.features, channels, 1, 1], found: [head.outChannels, head.inChannels, 1, 1])
        }
    }

    /// Reads `Weights/<variant>.safetensors` from `directory`.
    public init(variant: ModelVariant, directory: String) throws {
        let file = try SafeTensorsFile(contentsOf: (directory as NSString).appendingPathComponent(variant.weightsFileName))
        try self.init(file: file, inputSize: variant.inputSize)
    }

    /// Multiply-adds of one forward pass at batch 1, for GFLOP/s reports.
    public var multiplyAddsPerImage: Int {
        var side = stem.outputSide(inputSize)
        var total = side * side * stem.outChannels * stem.columnsPerPixel
        for block in blocks {
            if let expansion = block.expansion { total += side * side * expansion.inChannels * expansion.outChannels }
            let outSide = block.depthwise.outputSide(side)
            total += outSide * outSide * block.expandedChannels * block.depthwise.kernel * block.depthwise.kernel
            total += outSide * outSide * block.expandedChannels * block.outChannels
            side = outSide
        }
        total += side * side * head.inChannels * head.outChannels + classifier.features * classifier.classes
        return total
    }
}

/// Runs an ``EfficientNetLiteWeights`` forward and backward to its input. It owns the buffers
/// for one batch size (allocated once, reused by every call), so one instance serves one thread.
///
/// Input and input gradient are NHWC, `batch × side × side × 3`, in model units
/// `(pixel − 127) / 128`.
public final class EfficientNetLite {
    public let weights: EfficientNetLiteWeights
    /// Keeps every activation the backward pass needs.
    private var gradientWorkspace: Workspace?
    /// Forward only: blocks share a few rotating buffers (about a third of the memory), used for
    /// batches the gradient workspace was not made for (an attack's final evaluations, queries).
    private var inferenceWorkspace: Workspace?
    /// The batch sizes of the workspaces held, for tests of the memory they cost.
    var workspaceBatches: (gradient: Int?, inference: Int?) { (gradientWorkspace?.batch, inferenceWorkspace?.batch) }
    /// Present while profiling: every pass adds its time per layer kind.
    var clock: LayerClock?

    public init(_ weights: EfficientNetLiteWeights) {
        self.weights = weights
    }

    public var inputSize: Int { weights.inputSize }
    public var classCount: Int { weights.classCount }

    /// Images per forward-only pass: a large batch is run in chunks of this many, so that the
    /// activations of a chunk stay in the processor's cache (measured at batch 16 on Lite0:
    /// 4 per chunk was faster per image than 2, 16, or batch 1).
    static let inferenceChunk = 4

    /// Logits, `batch × classCount`.
    public func logits(input: [Float], batch: Int) throws -> [Float] {
        // A small batch that is a multiple of the gradient workspace's runs through that workspace
        // in its chunks (an attack's final evaluation of the float and the saved image at batch 2
        // after its steps at batch 1): a second workspace for it would raise the peak memory by
        // a third for two passes.
        var chunk = Self.inferenceChunk
        if let gradientBatch = gradientWorkspace?.batch, batch <= Self.inferenceChunk, batch % gradientBatch == 0 {
            chunk = gradientBatch
        }
        if batch > chunk, gradientWorkspace?.batch != batch {
            let imageSize = inputSize * inputSize * 3
            var logits: [Float] = []
            logits.reserveCapacity(batch * classCount)
            var first = 0
            while first < batch {
                let count = min(chunk, batch - first)
                logits += try self.logits(input: Array(input[(first * imageSize)..<((first + count) * imageSize)]), batch: count)
                first += count
            }
            return logits
        }
        let workspace = try prepare(input: input, batch: batch, forGradient: false)
        forward(input, workspace)
        return Array(UnsafeBufferPointer(start: workspace.logits, count: batch * classCount))
    }

    /// Runs forward, asks `lossGradient` for d loss / d logits (`batch × classCount`) given the
    /// logits, and returns the logits with d loss / d input (`batch × side × side × 3`).
    public func logitsAndInputGradient(
        input: [Float], batch: Int, lossGradient: ([Float]) throws -> [Float]
    ) throws -> (logits: [Float], gradient: [Float]) {
        try logitsAndInputGradient(input: input, batch: batch, adjustingReLU6Outputs: nil, lossGradient: lossGradient)
    }

    /// For the golden tests: `adjustReLU6Outputs` runs between the forward and the backward pass
    /// with every stored ReLU6 output in forward order (stem; per block its expansion, if any,
    /// then its depthwise convolution; head), each `batch × side × side × channels`. The backward
    /// pass reads these buffers only as masks (gradient passes where 0 < y < 6), wherever the
    /// mask is applied (a GEMM epilogue, the depthwise gather), and no layer reads its input. So a test can read our masks and impose a
    /// reference's where float32 rounding decides them. The pointers are valid during the call only.
    func logitsAndInputGradient(
        input: [Float], batch: Int,
        adjustingReLU6Outputs adjustReLU6Outputs: (([UnsafeMutableBufferPointer<Float>]) -> Void)?,
        lossGradient: ([Float]) throws -> [Float]
    ) throws -> (logits: [Float], gradient: [Float]) {
        let workspace = try prepare(input: input, batch: batch, forGradient: true)
        forward(input, workspace)
        adjustReLU6Outputs?(reLU6Outputs(workspace))
        let logits = Array(UnsafeBufferPointer(start: workspace.logits, count: batch * classCount))
        let logitGradient = try lossGradient(logits)
        guard logitGradient.count == logits.count else {
            throw EngineError.badInput("the loss gradient has \(logitGradient.count) values for \(logits.count) logits")
        }
        var gradient = [Float](repeating: 0, count: input.count)
        logitGradient.withUnsafeBufferPointer { dlogits in
            gradient.withUnsafeMutableBufferPointer { dx in
                backward(dlogits.baseAddress!, workspace, into: dx.baseAddress!)
            }
        }
        return (logits, gradient)
    }

    /// The buffers ReLU6's masks are read from, in forward order.
    private func reLU6Outputs(_ w: Workspace) -> [UnsafeMutableBufferPointer<Float>] {
        let stemSide = weights.stem.outputSide(inputSize)
        var outputs = [UnsafeMutableBufferPointer(start: w.stemOutput, count: w.batch * stemSide * stemSide * weights.stem.outChannels)]
        for (index, block) in weights.blocks.enumerated() {
            let inSide = w.sides[index], outSide = w.sides[index + 1]
            if let expanded = w.blocks[index].expanded {
                outputs.append(UnsafeMutableBufferPointer(start: expanded, count: w.batch * inSide * inSide * block.expandedChannels))
            }
            outputs.append(UnsafeMutableBufferPointer(start: w.blocks[index].depthwise, count: w.batch * outSide * outSide * block.expandedChannels))
        }
        let finalSide = w.sides.last ?? 1
        outputs.append(UnsafeMutableBufferPointer(start: w.headOutput, count: w.batch * finalSide * finalSide * weights.head.outChannels))
        return outputs
    }

    /// Runs one image forward once, then back-propagates several logit gradients from that single
    /// forward: `logitGradients` maps the image's logits (`classCount`) to `rows × classCount`
    /// values, one d loss / d logits per row; the answer holds the logits and one d loss / d input
    /// per row (`rows × side × side × 3`).
    ///
    /// Equal to `rows` calls of ``logitsAndInputGradient(input:batch:lossGradient:)`` on the image,
    /// each seeded with one row, for one forward instead of `rows` (DeepFool needs ∇(z_k − z_y) for
    /// every candidate class k at the same image). One forward serves every row because the backward
    /// pass never modifies what it reads of the forward: it reads the kept activations (stem, expanded,
    /// depthwise and head outputs) only as ReLU6 masks, and writes only the gradient buffers and two
    /// forward scratch buffers that no backward step reads before writing them, the pooled features
    /// (reused for d pooled) and the stem's im2col columns (reused for d columns).
    public func logitsAndInputGradients(
        input: [Float], rows: Int, logitGradients: ([Float]) throws -> [Float]
    ) throws -> (logits: [Float], gradients: [Float]) {
        guard rows >= 1 else { throw EngineError.badInput("at least one logit gradient is needed, got \(rows)") }
        let workspace = try prepare(input: input, batch: 1, forGradient: true)
        forward(input, workspace)
        let logits = Array(UnsafeBufferPointer(start: workspace.logits, count: classCount))
        let seeds = try logitGradients(logits)
        guard seeds.count == rows * classCount else {
            throw EngineError.badInput("the logit gradients have \(seeds.count) values; \(rows) row(s) of \(classCount) need \(rows * classCount)")
        }
        let imageSize = input.count
        var gradients = [Float](repeating: 0, count: rows * imageSize)
        seeds.withUnsafeBufferPointer { dlogits in
            gradients.withUnsafeMutableBufferPointer { dx in
                for row in 0..<rows {
                    backward(dlogits.baseAddress! + row * classCount, workspace, into: dx.baseAddress! + row * imageSize)
                }
            }
        }
        return (logits, gradients)
    }

    private func prepare(input: [Float], batch: Int, forGradient: Bool) throws -> Workspace {
        _ = try MatrixKernels.ready()
        let side = inputSize
        guard batch >= 1 else { throw EngineError.badInput("batch size must be at least 1, got \(batch)") }
        guard input.count == batch * side * side * 3 else {
            throw EngineError.badInput("the input has \(input.count) values; \(batch) image(s) of \(side)×\(side)×3 need \(batch * side * side * 3)")
        }
        if let gradientWorkspace, gradientWorkspace.batch == batch { return gradientWorkspace }
        if forGradient {
            // Both released before the next one is allocated: forward passes can use the gradient
            // workspace too (see `logits`), and a workspace kept from before the first step (the
            // clean image's classification) would otherwise sit beside it for the whole attack.
            gradientWorkspace = nil
            inferenceWorkspace = nil
            let fresh = Workspace(weights: weights, batch: batch, keepsActivations: true)
            gradientWorkspace = fresh
            return fresh
        }
        if let inferenceWorkspace, inferenceWorkspace.batch == batch { return inferenceWorkspace }
        inferenceWorkspace = nil
        let fresh = Workspace(weights: weights, batch: batch, keepsActivations: false)
        inferenceWorkspace = fresh
        return fresh
    }

    private func forward(_ input: [Float], _ w: Workspace) {
        let batch = w.batch
        clock.measure(.stem) {
            input.withUnsafeBufferPointer { x in
                weights.stem.forward(x.baseAddress!, batch: batch, side: inputSize, columns: w.stemColumns, into: w.stemOutput)
            }
        }
        var side = weights.stem.outputSide(inputSize)
        var current = UnsafePointer(w.stemOutput)
        for (block, buffers) in zip(weights.blocks, w.blocks) {
            block.forward(current, batch: batch, side: side, buffers: buffers, clock: clock)
            current = UnsafePointer(buffers.output)
            side = block.depthwise.outputSide(side)
        }
        let finalSide = side, last = current
        clock.measure(.head) { weights.head.forward(last, pixels: batch * finalSide * finalSide, into: w.headOutput) }
        clock.measure(.classifier) {
            weights.classifier.forward(w.headOutput, batch: batch, pixels: finalSide * finalSide, pooled: w.pooled, logits: w.logits)
        }
    }

    private func backward(_ dlogits: UnsafePointer<Float>, _ w: Workspace, into dx: UnsafeMutablePointer<Float>) {
        let batch = w.batch
        let finalSide = w.sides.last ?? 1
        clock.measure(.classifier, backward: true) {
            weights.classifier.backward(logitGradient: dlogits, batch: batch, pixels: finalSide * finalSide,
                                        pooledGradient: w.pooled, inputGradient: w.headGradient)
        }
        var gradient = w.gradientA, spare = w.gradientB
        let headInputGradient = gradient
        clock.measure(.head, backward: true) {
            weights.head.backward(outputGradient: w.headGradient, output: w.headOutput,
                                  pixels: batch * finalSide * finalSide, inputGradient: headInputGradient)
        }
        // The stem's ReLU6 mask is applied by the first block when it can (Lite's first block has
        // no expansion and no skip), as it writes each pixel, instead of in a pass of its own.
        let stemMaskFused = weights.blocks.first?.masksInputGradient ?? false
        for index in weights.blocks.indices.reversed() {
            weights.blocks[index].backward(outputGradient: gradient, batch: batch, side: w.sides[index], buffers: w.blocks[index],
                                           inputMask: index == 0 && stemMaskFused ? UnsafePointer(w.stemOutput) : nil,
                                           depthwiseGradient: w.depthwiseGradient, expandedGradient: w.expandedGradient,
                                           inputGradient: spare, clock: clock)
            swap(&gradient, &spare)
        }
        let stemGradient = gradient
        clock.measure(.stem, backward: true) {
            weights.stem.backward(outputGradient: stemGradient, output: w.stemOutput, batch: batch, side: inputSize,
                                  columns: w.stemColumns, inputGradient: dx, outputGradientIsMasked: stemMaskFused)
        }
    }
}

/// Every buffer of one batch size, carved out of a single allocation.
///
/// With `keepsActivations` each layer's output has its own buffer, as the backward pass reads
/// ReLU6's masks off them. Block outputs alternate between two buffers in either case: the
/// projection is linear, so nothing in the backward pass reads them. Without
/// `keepsActivations` (forward only) the expanded and depthwise activations of all blocks share
/// one buffer each as well, and no gradient buffers are made.
final class Workspace {
    let batch: Int
    /// Input side of each block, then the side after the last one.
    let sides: [Int]
    let stemColumns: UnsafeMutablePointer<Float>
    let stemOutput: UnsafeMutablePointer<Float>
    let blocks: [InvertedResidualBlock.Buffers]
    let headOutput: UnsafeMutablePointer<Float>
    let pooled: UnsafeMutablePointer<Float>
    let logits: UnsafeMutablePointer<Float>
    let headGradient: UnsafeMutablePointer<Float>
    let gradientA: UnsafeMutablePointer<Float>
    let gradientB: UnsafeMutablePointer<Float>
    let depthwiseGradient: UnsafeMutablePointer<Float>
    let expandedGradient: UnsafeMutablePointer<Float>
    private let storage: UnsafeMutablePointer<Float>
    let floatCount: Int

    init(weights: EfficientNetLiteWeights, batch: Int, keepsActivations: Bool) {
        self.batch = batch
        // First pass: sizes (in floats, each rounded up to 16 for aligned vector loads).
        var sizes: [Int] = []
        func reserve(_ count: Int) -> Int { sizes.append((count + 15) / 16 * 16); return sizes.count - 1 }
        let stemSide = weights.stem.outputSide(weights.inputSize)
        let stemColumnsSlot = reserve(batch * stemSide * stemSide * weights.stem.columnsPerPixel)
        let stemOutputSlot = reserve(batch * stemSide * stemSide * weights.stem.outChannels)
        var side = stemSide
        var sides: [Int] = []
        var largestActivation = batch * stemSide * stemSide * weights.stem.outChannels
        var largestDepthwise = 0, largestExpanded = 0
        for block in weights.blocks {
            sides.append(side)
            let outSide = block.depthwise.outputSide(side)
            largestActivation = max(largestActivation, batch * outSide * outSide * block.outChannels)
            largestDepthwise = max(largestDepthwise, batch * outSide * outSide * block.expandedChannels)
            largestExpanded = max(largestExpanded, batch * side * side * block.expandedChannels)
            side = outSide
        }
        sides.append(side)
        self.sides = sides
        let outputSlots = (reserve(largestActivation), reserve(largestActivation))
        let sharedExpandedSlot = keepsActivations ? nil : reserve(largestExpanded)
        let sharedDepthwiseSlot = keepsActivations ? nil : reserve(largestDepthwise)
        var blockSlots: [(Int?, Int, Int)] = []
        for (index, block) in weights.blocks.enumerated() {
            let inSide = sides[index], outSide = sides[index + 1]
            let expandedSlot = block.expansion == nil ? nil
                : sharedExpandedSlot ?? reserve(batch * inSide * inSide * block.expandedChannels)
            let depthwiseSlot = sharedDepthwiseSlot ?? reserve(batch * outSide * outSide * block.expandedChannels)
            blockSlots.append((expandedSlot, depthwiseSlot, index % 2 == 0 ? outputSlots.0 : outputSlots.1))
        }
        let headCount = batch * side * side * weights.head.outChannels
        let headSlot = reserve(headCount)
        let pooledSlot = reserve(batch * max(weights.classifier.features, weights.head.outChannels))
        let logitsSlot = reserve(batch * weights.classCount)
        let gradientSize = { (count: Int) in keepsActivations ? count : 0 }
        let headGradientSlot = reserve(gradientSize(headCount))
        let gradientASlot = reserve(gradientSize(largestActivation))
        let gradientBSlot = reserve(gradientSize(largestActivation))
        let depthwiseGradientSlot = reserve(gradientSize(largestDepthwise))
        let expandedGradientSlot = reserve(gradientSize(largestExpanded))

        floatCount = sizes.reduce(0, +)
        storage = UnsafeMutablePointer<Float>.allocate(capacity: floatCount)
        storage.initialize(repeating: 0, count: floatCount)
        var offsets: [Int] = []
        var running = 0
        for size in sizes { offsets.append(running); running += size }
        let base = storage
        func slot(_ index: Int) -> UnsafeMutablePointer<Float> { base + offsets[index] }
        stemColumns = slot(stemColumnsSlot)
        stemOutput = slot(stemOutputSlot)
        blocks = blockSlots.map { .init(expanded: $0.0.map(slot), depthwise: slot($0.1), output: slot($0.2)) }
        headOutput = slot(headSlot)
        pooled = slot(pooledSlot)
        logits = slot(logitsSlot)
        headGradient = slot(headGradientSlot)
        gradientA = slot(gradientASlot)
        gradientB = slot(gradientBSlot)
        depthwiseGradient = slot(depthwiseGradientSlot)
        expandedGradient = slot(expandedGradientSlot)
    }

    deinit {
        storage.deallocate()
    }
}
