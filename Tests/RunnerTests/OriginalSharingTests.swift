import Attacks
import Engine
import Foundation
import Imaging
import Testing
@testable import Runner

/// A sweep's points on one worker share the network's answers at the original
/// (``OriginalSharingClassifier``); each point's result must be the one it gets alone.
@Suite(.serialized) struct OriginalSharingTests {
    /// The points of an ε sweep (FGSM and BIM start with the same gradient at the original, PGD
    /// with random start and Square with its forward), run in a row through one sharing
    /// classifier, against each run alone on a fresh network.
    @Test func pointsInARowEqualPointsAlone() throws {
        let weights = try EfficientNetLiteWeights(variant: .lite0, directory: ProjectPaths.weights)
        let crop = Preprocess.centerCrop(try ImageCodec.read(contentsOf: ProjectPaths.chelsea), size: 224)
        var configs: [AttackConfig] = []
        for method in [AttackMethod.fgsm, .bim, .pgd, .square] {
            for levels in [1.0, 2.0] {
                var config = AttackConfig(method: method, target: method == .square ? nil : 300)
                config.epsilon = .greyLevels(levels)
                if method != .fgsm { config.steps = method == .square ? 4 : 2 }
                configs.append(config)
            }
        }
        let sharing = OriginalSharingClassifier(EfficientNetClassifier(weights: weights))
        for config in configs {
            sharing.attack(original: imageUnits(fromEightBit: crop.pixels))
            let shared = try runAttack(config, on: sharing, image: crop.pixels)
            let alone = try runAttack(config, on: EfficientNetClassifier(weights: weights), image: crop.pixels)
            #expect(shared.queries == alone.queries, "\(config.method)")
            #expect(shared.adversarialImage == alone.adversarialImage, "\(config.method)")
            #expect(shared.adversarialFloatImage == alone.adversarialFloatImage, "\(config.method)")
            #expect(shared.top5Before == alone.top5Before, "\(config.method)")
            #expect(shared.top5After == alone.top5After, "\(config.method)")
            #expect(shared.trace.map(\.loss) == alone.trace.map(\.loss), "\(config.method)")
            #expect(shared.trace.map(\.topClass) == alone.trace.map(\.topClass), "\(config.method)")
            #expect(shared.steps == alone.steps && shared.stopReason == alone.stopReason, "\(config.method)")
            #expect(shared.success == alone.success && shared.successFloat == alone.successFloat, "\(config.method)")
        }
    }

    /// Another image drops what was kept: its requests are answered by the network.
    @Test func anotherImageIsNotAnsweredFromTheFirst() throws {
        let weights = try EfficientNetLiteWeights(variant: .lite0, directory: ProjectPaths.weights)
        let network = EfficientNetClassifier(weights: weights)
        let sharing = OriginalSharingClassifier(network)
        let cat = imageUnits(fromEightBit: Preprocess.centerCrop(try ImageCodec.read(contentsOf: ProjectPaths.chelsea), size: 224).pixels)
        let coffee = imageUnits(fromEightBit: Preprocess.centerCrop(try ImageCodec.read(contentsOf: ProjectPaths.coffee), size: 224).pixels)
        sharing.attack(original: cat)
        let catLogits = try sharing.logits(images: cat, count: 1)
        #expect(try sharing.logits(images: cat, count: 1) == catLogits)
        sharing.attack(original: coffee)
        #expect(try sharing.logits(images: coffee, count: 1) == (try network.logits(images: coffee, count: 1)))
        let seeds = (0..<1000).map { $0 == 7 ? Float(1) : 0 }
        let first = try sharing.logitsAndGradient(images: coffee, count: 1) { _ in seeds }
        let again = try sharing.logitsAndGradient(images: coffee, count: 1) { _ in seeds }
        let direct = try network.logitsAndGradient(images: coffee, count: 1) { _ in seeds }
        #expect(first.gradient == direct.gradient && again.gradient == direct.gradient)
        // The repeat was answered from what was kept, not computed again: the same storage.
        #expect(first.gradient.withUnsafeBufferPointer { $0.baseAddress } == again.gradient.withUnsafeBufferPointer { $0.baseAddress })
        #expect(first.gradient.withUnsafeBufferPointer { $0.baseAddress } != direct.gradient.withUnsafeBufferPointer { $0.baseAddress })
        #expect(first.logits == direct.logits)
    }
}
