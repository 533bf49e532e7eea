import Foundation

/// Median timings of the engine, measured the way the PyTorch peer measures itself: batch 1,
/// random input in [−1, 1], a few warm-up runs, then `iterations` timed runs of a forward pass
/// and of a step (forward + gradient of one class probability to the input).
public struct EngineBenchmark: Codable, Sendable {
    public let model: String
    public let batch: Int
    public let threads: Int
    public let backend: String
    /// Vendor, family, model and the SIMD extensions the kernels were chosen from.
    public let cpu: String
    public let iterations: Int
    public let forwardMedianMilliseconds: Double
    public let forwardMinimumMilliseconds: Double
    public let stepMedianMilliseconds: Double
    public let stepMinimumMilliseconds: Double
    /// Multiply-adds × 2 of the forward pass divided by its median time.
    public let forwardGigaflopsPerSecond: Double
    /// Forward median divided by the batch size.
    public let forwardMillisecondsPerImage: Double
    /// Mean time per pass spent in each layer kind (a separate, profiled run).
    public let forwardSplitMilliseconds: [String: Double]
    public let backwardSplitMilliseconds: [String: Double]
    /// The process's peak resident memory so far (getrusage).
    public let peakResidentMegabytes: Double

    public static func run(weights: EfficientNetLiteWeights, modelName: String, batch: Int = 1,
                           warmup: Int = 5, iterations: Int = 30) throws -> EngineBenchmark {
        let kernels = try MatrixKernels.ready()
        let network = EfficientNetLite(weights)
        var state: UInt64 = 0x5EED
        let input = (0..<(batch * weights.inputSize * weights.inputSize * 3)).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 23) - 1
        }
        let target = 69
        func forward() throws { _ = try network.logits(input: input, batch: batch) }
        func step() throws {
            _ = try network.logitsAndInputGradient(input: input, batch: batch) { logits in
                // d p_target / d logits = p_target · (onehot − p)
                let p = Softmax.probabilities(logits, classes: weights.classCount)
                var d = [Float](repeating: 0, count: logits.count)
                for row in 0..<batch {
                    let base = row * weights.classCount
                    let pt = p[base + target]
                    for c in 0..<weights.classCount { d[base + c] = -pt * p[base + c] }
                    d[base + target] += pt
                }
                return d
            }
        }
        func time(_ body: () throws -> Void) throws -> [Double] {
            for _ in 0..<warmup { try body() }
            var samples: [Double] = []
            for _ in 0..<iterations {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return samples.sorted()
        }
        let forwardTimes = try time(forward)
        let stepTimes = try time(step)
        func median(_ sorted: [Double]) -> Double {
            sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        let forwardMedian = median(forwardTimes)
        let clock = LayerClock()
        network.clock = clock
        for _ in 0..<iterations { try step() }
        network.clock = nil
        func perPass(_ totals: [LayerKind: Double]) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: totals.map { ($0.key.rawValue, $0.value / Double(iterations)) })
        }
        return EngineBenchmark(
            model: modelName, batch: batch, threads: Compute.threadCount, backend: kernels.description, cpu: kernels.cpu.description,
            iterations: iterations,
            forwardMedianMilliseconds: forwardMedian, forwardMinimumMilliseconds: forwardTimes.first ?? 0,
            stepMedianMilliseconds: median(stepTimes), stepMinimumMilliseconds: stepTimes.first ?? 0,
            forwardGigaflopsPerSecond: 2 * Double(weights.multiplyAddsPerImage * batch) / (forwardMedian * 1e6),
            forwardMillisecondsPerImage: forwardMedian / Double(batch),
            forwardSplitMilliseconds: perPass(clock.forward), backwardSplitMilliseconds: perPass(clock.backward),
            peakResidentMegabytes: ProcessMemory.peakResidentMegabytes())
    }
}

/// Peak resident set size of this process in MB (Linux reports ru_maxrss in kilobytes).
public enum ProcessMemory {
  public static func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
}
