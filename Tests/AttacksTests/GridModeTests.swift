import Attacks
import Testing

/// Every method in grid mode, with bounds that are whole grey levels.
let gridCases: [AttackCase] = [
    attackCase(.talk, targeted: true, expecting: .improvement) { $0.steps = 30; $0.gridMode = true },
    attackCase(.talkSign, targeted: true) { $0.steps = 200; $0.goal = 0.8; $0.epsilon = Epsilon(4.0 / 255); $0.gridMode = true },
    attackCase(.fgsm, targeted: true) { $0.gridMode = true },
    attackCase(.bim, targeted: false) { $0.gridMode = true },
    attackCase(.pgd, targeted: true) { $0.epsilon = Epsilon(4.0 / 255); $0.steps = 20; $0.gridMode = true },
    attackCase(.pgdL2, targeted: true) { $0.gridMode = true },
    attackCase(.mifgsm, targeted: true) { $0.gridMode = true },
    attackCase(.cw, targeted: true) { $0.steps = 100; $0.gridMode = true },
    attackCase(.cw, targeted: false) { $0.steps = 100; $0.gridMode = true },
    attackCase(.deepfool, targeted: false) { $0.gridMode = true },
    attackCase(.square, targeted: true) { $0.steps = 1000; $0.gridMode = true },
]

/// Whether every value is k/255 for a whole k. Values come from Float(k)/255, so x·255 lands
/// within an ulp or two of k; 1e-3 grey levels is far below the 0.5 that would make it ambiguous.
func isOnGrid(_ image: [Float]) -> Bool {
    image.allSatisfy { abs($0 * 255 - ($0 * 255).rounded()) < 1e-3 }
}

@Suite("Grid mode: every iterate is an 8-bit image inside the ball")
struct GridModeTests {
    @Test("every image the network sees is on the 8-bit grid, and the saved image is the final iterate",
          arguments: gridCases)
    func iteratesStayOnGrid(_ testCase: AttackCase) throws {
        let network = TinyNetwork()
        network.recordsImages = true
        let original = makeTestImage()
        let result = try runAttack(testCase.config, on: network, image: original)

        #expect(network.seenImages.count == network.forwardImages + network.gradientImages)
        let offGrid = network.seenImages.filter { !isOnGrid($0) }.count
        #expect(offGrid == 0)
        // So the goal check and the reported float numbers describe the saved image itself.
        #expect(result.savedImageDiffersFromFloat == false)
        #expect(imageUnits(fromEightBit: result.adversarialImage) == result.adversarialFloatImage)
        #expect(result.success == result.successFloat)
        #expect(result.top5After == result.top5AfterFloat)

        // Each seen image is inside the ball too.
        if let epsilon = testCase.config.epsilon, testCase.config.method != .pgdL2 {
            let levels = Int((epsilon.imageUnits(modelInputScale: network.modelInputScale) * 255 + 1e-3).rounded(.down))
            let x0 = imageUnits(fromEightBit: original)
            let outsideBall = network.seenImages.filter { image in
                zip(image, x0).contains { abs($0 - $1) * 255 > Float(levels) + 1e-3 }
            }.count
            #expect(outsideBall == 0)
        }

        switch testCase.expected {
        case .savedSuccess, .floatSuccess:
            #expect(result.success)
        case .improvement:
            break
        }
    }

    @Test("with a goal in grid mode, the saved image itself has p_target ≥ goal")
    func goalSeesTheSavedImage() throws {
        var config = AttackConfig(method: .talkSign, target: easyTarget)
        config.goal = 0.9
        config.epsilon = Epsilon(6.0 / 255)
        config.gridMode = true
        let result = try runAttack(config, on: TinyNetwork(), image: makeTestImage())
        #expect(result.stopReason == .goalReached)
        let after = try #require(result.targetProbabilityAfter)
        #expect(after >= 0.9)
        #expect(result.success)
    }

    @Test("a bound that is not a whole number of grey levels: the saved image keeps to ⌊ε·255⌋")
    func fractionalBoundRoundsInward() throws {
        // The talk's ±0.01 model units with EfficientNet's scale 255/128 is 1.28 grey levels.
        let epsilon = Epsilon.modelInput(0.01)
        #expect(epsilon.report(modelInputScale: 255.0 / 128, norm: .linf).gridLevels == 1)

        var config = AttackConfig(method: .pgd, target: easyTarget)
        config.epsilon = Epsilon(1.5 / 255)
        config.randomStart = false
        let original = makeTestImage()
        let result = try runAttack(config, on: TinyNetwork(), image: original)
        // The float iterate uses the full 1.5 levels; the saved image rounds inward to 1.
        #expect(result.linfFloat * 255 > 1.4)
        #expect(linfLevels(result.adversarialImage, original) == 1)
    }
}
