import ArgumentParser
import Engine
import Foundation

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the network's top classes for an image.")

    @Argument(help: "A PNG or JPEG image.")
    var image: String

    @Option(help: "Model: lite0 (224 px) or lite2 (260 px).")
    var model: ModelVariant = .lite0

    @Option(help: "How many classes to list.")
    var top: Int = 5

    @Flag(help: "Print JSON: model, top classes, all 1000 logits and the matrix kernels used.")
    var json = false

    @Option(help: "Folder with the weights (default: ./Weights or the project's).")
    var weights: String?

    func validate() throws {
        guard (1...1000).contains(top) else { throw ValidationError("--top must be between 1 and 1000, got \(top)") }
    }

    func run() throws {
        try reportingErrors {
            let directory = try WeightsLocator.directory(explicit: weights)
            let labels = try WeightsLocator.labels(in: directory)
            let network = EfficientNetLite(try EfficientNetLiteWeights(variant: model, directory: directory))
            let (_, input) = try ModelInput.load(path: image, size: model.inputSize)
            let logits = try network.logits(input: input, batch: 1)
            let probabilities = Softmax.probabilities(logits, classes: logits.count)
            let best = Softmax.top(top, probabilities: probabilities[...], labels: labels)
            if json {
                try printJSON(ClassificationReport(model: model.rawValue, image: image, top: best, logits: logits,
                                                    kernels: try MatrixKernels.ready().description))
            } else {
                print("\(image) — \(model.displayName)")
                for (rank, score) in best.enumerated() {
                    let label = score.label.padding(toLength: max(score.label.count, 32), withPad: " ", startingAt: 0)
                    print(String(format: "%2d. ", rank + 1) + label + String(format: " %7.3f%%  (class %d)", Double(score.probability) * 100, score.index))
                }
            }
        }
    }
}

