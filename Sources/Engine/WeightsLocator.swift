import Foundation

/// Finds the `Weights/` folder: an explicit path, then `$TRILOBITE_WEIGHTS`, then `./Weights`,
/// then the folders above the running executable (so `.build/release/trilobite` finds the
/// project's weights from any working directory).
public enum WeightsLocator {
    public static func directory(explicit: String? = nil) throws -> String {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["TRILOBITE_WEIGHTS"], !fromEnvironment.isEmpty {
            candidates.append(fromEnvironment)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/Weights")
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("Weights").path)
            folder.deleteLastPathComponent()
        }
        if let explicit {
            // An explicit folder is never silently replaced by another one.
            guard FileManager.default.fileExists(atPath: explicit + "/" + ModelVariant.lite0.weightsFileName) else {
                throw EngineError.weightsNotFound(searched: [explicit])
            }
            return explicit
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/" + ModelVariant.lite0.weightsFileName) {
            return candidate
        }
        throw EngineError.weightsNotFound(searched: Array(candidates.prefix(3)))
    }

    public static func labels(in directory: String) throws -> ImageNetLabels {
        try ImageNetLabels(contentsOf: directory + "/imagenet_labels.tsv")
    }
}

/// What `classify --json` prints.
public struct ClassificationReport: Codable, Sendable {
    public let model: String
    public let image: String
    public let top: [ClassScore]
    public let logits: [Float]
    /// The matrix kernels that computed the logits and why they were chosen (``MatrixKernels``).
    public let kernels: String

    public init(model: String, image: String, top: [ClassScore], logits: [Float], kernels: String) {
        self.model = model
        self.image = image
        self.top = top
        self.logits = logits
        self.kernels = kernels
    }
}
