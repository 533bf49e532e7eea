import Attacks
import Engine
import Foundation

/// The weights of each model, loaded once when a job first needs them and shared by every worker
/// (``EfficientNetLiteWeights`` is immutable and `Sendable`). A build whose results all come from
/// the cache never reads the weight files.
final class WeightsStore: @unchecked Sendable {
    private let files: [String: String]
    private let lock = NSLock()
    private var loaded: [String: EfficientNetLiteWeights] = [:]

    /// `files`: model name → safetensors path.
    init(files: [String: String]) {
        self.files = files
    }

    func weights(for model: String) throws(RunnerError) -> EfficientNetLiteWeights {
        // Held while loading, so two workers never read the same 20 MB file twice.
        lock.lock()
        defer { lock.unlock() }
        if let weights = loaded[model] { return weights }
        guard let variant = ModelVariant(rawValue: model), let path = files[model] else {
            throw .unknownModel(model)
        }
        do {
            let file = try SafeTensorsFile(contentsOf: path)
            let weights = try EfficientNetLiteWeights(file: file, inputSize: variant.inputSize)
            loaded[model] = weights
            return weights
        } catch {
            throw .weights(model: model, path: path, reason: "\(error)")
        }
    }
}

/// One worker's networks. ``EfficientNetLite`` keeps per-call buffers and is not thread-safe,
/// so each worker builds its own instance of each model over the shared weights.
final class WorkerModels {
    private let store: WeightsStore
    private var classifiers: [String: EfficientNetClassifier] = [:]
    private var sharing: [String: OriginalSharingClassifier] = [:]

    init(store: WeightsStore) {
        self.store = store
    }

    func classifier(for model: String) throws(RunnerError) -> EfficientNetClassifier {
        if let classifier = classifiers[model] { return classifier }
        let classifier = EfficientNetClassifier(weights: try store.weights(for: model))
        classifiers[model] = classifier
        return classifier
    }

    /// The model for attacks, keeping its answers at the attacked image (``OriginalSharingClassifier``):
    /// the jobs this worker runs on one image and model, a sweep's points, share them.
    func attackClassifier(for model: String) throws(RunnerError) -> OriginalSharingClassifier {
        if let classifier = sharing[model] { return classifier }
        let classifier = OriginalSharingClassifier(try self.classifier(for: model))
        sharing[model] = classifier
        return classifier
    }
}
