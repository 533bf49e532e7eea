import Testing
@testable import Engine

/// Finite differences against the analytic input gradient on a tiny random network.
struct GradientCheckTests {
    /// Directional derivatives: for random directions v (±1 on every input value), the central
    /// difference (L(x + hv) − L(x − hv)) / 2h must match g·v. A single-coordinate quotient in
    /// float32 is swamped by rounding (ε·|L|/h against one small partial derivative); along a
    /// dense direction the signal grows with √n while the rounding stays put. h = 1e-3 keeps the
    /// truncation error (order h²) and the chance of stepping over a ReLU6 kink small. Tolerance:
    /// relative L2 error over 24 directions ≤ 1e-2, and each single one within 5% plus 3e-3 (the rounding noise of one quotient).
    @Test(arguments: [15, 16])
    func inputGradientMatchesFiniteDifferences(side: Int) throws {
        let network = try TinyNetwork.network(inputSize: side)
        var random = TestRandom(state: UInt64(side))
        let input = random.values(side * side * 3)
        let weighting = random.values(network.classCount)
        func loss(_ x: [Float]) throws -> Double {
            let logits = try network.logits(input: x, batch: 1)
            return zip(logits, weighting).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let (_, gradient) = try network.logitsAndInputGradient(input: input, batch: 1) { _ in weighting }
        let h: Float = 1e-3
        var numeric: [Float] = [], analytic: [Float] = []
        for _ in 0..<24 {
            let direction = input.indices.map { _ in random.next() & 1 == 0 ? Float(-1) : 1 }
            let plus = zip(input, direction).map { $0 + h * $1 }
            let minus = zip(input, direction).map { $0 - h * $1 }
            numeric.append(Float((try loss(plus) - loss(minus)) / Double(2 * h)))
            analytic.append(zip(gradient, direction).reduce(0) { $0 + $1.0 * $1.1 })
        }
        #expect(relativeL2Error(analytic, reference: numeric) <= 1e-2)
        for (a, n) in zip(analytic, numeric) { #expect(abs(a - n) <= 0.05 * abs(n) + 3e-3) }
    }

    /// Each image of a batch is computed independently: batch results equal single-image
    /// results (to float rounding: the matrix products may block a batch differently).
    @Test func batchMatchesSingleImages() throws {
        let network = try TinyNetwork.network(inputSize: 16)
        let single = try TinyNetwork.network(inputSize: 16)
        var random = TestRandom(state: 3)
        let images = (0..<3).map { _ in random.values(16 * 16 * 3) }
        let batchLogits = try network.logits(input: images.flatMap { $0 }, batch: 3)
        let seeds = (0..<3).map { _ in random.values(10) }
        let (_, batchGradient) = try network.logitsAndInputGradient(input: images.flatMap { $0 }, batch: 3) { _ in seeds.flatMap { $0 } }
        for (i, image) in images.enumerated() {
            let logits = try single.logits(input: image, batch: 1)
            let (_, gradient) = try single.logitsAndInputGradient(input: image, batch: 1) { _ in seeds[i] }
            for (a, b) in zip(logits, batchLogits[(i * 10)..<((i + 1) * 10)]) { #expect(abs(a - b) <= 1e-5) }
            let slice = Array(batchGradient[(i * 768)..<((i + 1) * 768)])
            #expect(relativeL2Error(slice, reference: gradient) <= 1e-5)
        }
    }

    /// A forward-only pass (rotating buffers) and the forward of a gradient pass (every
    /// activation kept) run the same arithmetic, so their logits are identical.
    @Test func forwardOnlyMatchesGradientPass() throws {
        let network = try TinyNetwork.network(inputSize: 15)
        var random = TestRandom(state: 11)
        let images = random.values(2 * 15 * 15 * 3)
        let forwardOnly = try network.logits(input: images, batch: 2)
        let (logits, _) = try network.logitsAndInputGradient(input: images, batch: 2) { $0.map { _ in 1 } }
        #expect(forwardOnly == logits)
        #expect(try network.logits(input: images, batch: 2) == logits)
    }

    /// A forward-only batch larger than a chunk is run in pieces; the logits are those of the
    /// images run one at a time.
    @Test func chunkedBatchMatchesSingleImages() throws {
        let network = try TinyNetwork.network(inputSize: 16)
        let single = try TinyNetwork.network(inputSize: 16)
        var random = TestRandom(state: 5)
        let count = EfficientNetLite.inferenceChunk + 2
        let images = (0..<count).map { _ in random.values(16 * 16 * 3) }
        let logits = try network.logits(input: images.flatMap { $0 }, batch: count)
        #expect(logits.count == count * 10)
        for (i, image) in images.enumerated() {
            let alone = try single.logits(input: image, batch: 1)
            for (a, b) in zip(alone, logits[(i * 10)..<((i + 1) * 10)]) { #expect(abs(a - b) <= 1e-5) }
        }
    }

    @Test func wrongInputSizeIsAnError() throws {
        let network = try TinyNetwork.network(inputSize: 16)
        #expect(throws: EngineError.self) { try network.logits(input: [0, 1, 2], batch: 1) }
        #expect(throws: EngineError.self) { try network.logits(input: [], batch: 0) }
    }
}
