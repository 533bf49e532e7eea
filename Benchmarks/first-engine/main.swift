// Timing driver for the engine as first committed (caafa37), which had no `bench` command.
// Benchmarks/profile_before_after.sh builds it in place of that commit's main.swift.
//
//   first-engine ITERATIONS WEIGHTS_DIR
//
// It measures what `trilobite bench` measures today, the same way: Lite0, batch 1, the same
// pseudo-random input in [−1, 1], 5 warm-up runs, then the median of ITERATIONS forward passes
// and of ITERATIONS steps (forward + gradient of p[69] to the input). Prints one JSON line.
import Engine
import Foundation

func measure() throws {
    let arguments = CommandLine.arguments
    let iterations = arguments.count > 1 ? Int(arguments[1]) ?? 30 : 30
    let weightsDirectory = arguments.count > 2 ? arguments[2] : "Weights"
    let weights = try EfficientNetLiteWeights(variant: .lite0, directory: weightsDirectory)
    let network = EfficientNetLite(weights)
    var state: UInt64 = 0x5EED
    let input = (0..<(weights.inputSize * weights.inputSize * 3)).map { _ -> Float in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 23) - 1
    }
    let target = 69

    func forward() throws { _ = try network.logits(input: input, batch: 1) }
    func step() throws {
        _ = try network.logitsAndInputGradient(input: input, batch: 1) { logits in
            // d p_target / d logits = p_target · (onehot − p)
            let largest = logits.max() ?? 0
            let exponentials = logits.map { Foundation.exp($0 - largest) }
            let total = exponentials.reduce(0, +)
            let p = exponentials.map { $0 / total }
            var gradient = p.map { -p[target] * $0 }
            gradient[target] += p[target]
            return gradient
        }
    }
    func medianMilliseconds(_ body: () throws -> Void) throws -> Double {
        for _ in 0..<5 { try body() }
        var samples: [Double] = []
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        return iterations % 2 == 1 ? samples[iterations / 2] : (samples[iterations / 2 - 1] + samples[iterations / 2]) / 2
    }
    let forwardMedian = try medianMilliseconds(forward)
    let stepMedian = try medianMilliseconds(step)
    print("{\"forwardMedianMilliseconds\": \(forwardMedian), \"stepMedianMilliseconds\": \(stepMedian)}")
}

try measure()
