@testable import Attacks
import Foundation
import Testing

/// Methods whose first network call is a gradient at the original image itself.
let startAtOriginalCases: [AttackCase] = [
    attackCase(.talk, targeted: true, expecting: .improvement) { $0.steps = 5 },
    attackCase(.talkSign, targeted: true) { $0.steps = 5 },
    attackCase(.fgsm, targeted: true),
    attackCase(.fgsm, targeted: false),
    attackCase(.bim, targeted: true) { $0.steps = 3 },
    attackCase(.bim, targeted: false) { $0.steps = 3 },
    attackCase(.pgd, targeted: false) { $0.steps = 3; $0.randomStart = false },
    attackCase(.pgdL2, targeted: false) { $0.steps = 3; $0.randomStart = false },
    attackCase(.mifgsm, targeted: false) { $0.steps = 3 },
]

/// Methods that need the original's scores before their first image (random start, tanh space,
/// candidate classes, black box): one forward of the original first.
let evaluateOriginalFirstCases: [AttackCase] = [
    attackCase(.pgd, targeted: false) { $0.steps = 3 },
    attackCase(.pgdL2, targeted: true) { $0.steps = 3 },
    attackCase(.cw, targeted: false) { $0.steps = 5 },
    attackCase(.deepfool, targeted: false),
    attackCase(.square, targeted: true) { $0.steps = 20 },
]

/// The original's top-5 and top class from a separate forward call.
func separatelyEvaluatedOriginal() throws -> (topClass: Int, top5: [Int], probabilities: [Double]) {
    let logits = try TinyNetwork().logits(images: imageUnits(fromEightBit: makeTestImage()), count: 1)
    let p = probabilities(logits)
    let ranked = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
    return (ranked[0], Array(ranked.prefix(5)), p)
}

@Suite("Network calls: no separate forward for the original, repeated requests answered once")
struct NetworkCallTests {
    @Test("a method that starts at the original takes the original's scores from its first gradient call",
          arguments: startAtOriginalCases)
    func originalFromFirstGradient(_ testCase: AttackCase) throws {
        let network = TinyNetwork()
        network.recordsImages = true
        let x0 = imageUnits(fromEightBit: makeTestImage())
        let result = try runAttack(testCase.config, on: network, image: makeTestImage())

        let first = try #require(network.requests.first)
        #expect(first.kind == .gradient)
        #expect(first.images == x0)
        // The only forward images left are the final evaluations: the float result when the
        // attack did not evaluate it, and the saved image when it differs.
        #expect(result.queries.forwardImages <= (result.savedImageDiffersFromFloat ? 2 : 1))
        #expect(network.requests.filter { $0.kind == .forward && $0.images == x0 }.isEmpty)

        // The same original as a separate forward call gives.
        let expected = try separatelyEvaluatedOriginal()
        #expect(result.originalClass == expected.topClass)
        #expect(result.top5Before.map(\.classIndex) == expected.top5)
        #expect(abs(Double(result.originalClassProbabilityBefore) - expected.probabilities[expected.topClass]) < 1e-6)
        // An untargeted first step already pushed that class down: its loss is −log p_original.
        if testCase.config.target == nil, testCase.config.method != .talk {
            let loss = try #require(result.trace.first?.loss)
            #expect(abs(Double(loss) + log(expected.probabilities[expected.topClass])) < 1e-4)
        }
    }

    @Test("a method that needs the original first evaluates it once, with one forward image",
          arguments: evaluateOriginalFirstCases)
    func originalEvaluatedFirst(_ testCase: AttackCase) throws {
        let network = TinyNetwork()
        network.recordsImages = true
        let x0 = imageUnits(fromEightBit: makeTestImage())
        let result = try runAttack(testCase.config, on: network, image: makeTestImage())
        let first = try #require(network.requests.first)
        #expect(first.kind == .forward && first.count == 1 && first.images == x0)
        #expect(network.requests.dropFirst().filter { $0.kind == .forward && $0.images == x0 }.isEmpty)
        #expect(result.originalClass == (try separatelyEvaluatedOriginal()).topClass)
    }

    @Test("a request repeating the previous one (same images, same loss gradient) is answered without the network")
    func repeatedRequestAnsweredOnce() throws {
        let network = TinyNetwork()
        let region = FeasibleRegion(original: makeTestImage(), ball: .unbounded, gridMode: false)
        let run = try AttackRun(classifier: network, config: AttackConfig(method: .bim, target: easyTarget),
                                region: region, totalSteps: 1, start: ContinuousClock().now, progress: nil)
        let image = run.original
        func seed(_ label: Int) -> ([Float]) -> [Float] {
            { logits in
                var gradient = [Float](repeating: 0, count: logits.count)
                gradient[label] = 1
                return gradient
            }
        }
        var logitsSeen: [[Float]] = []
        let first = try run.logitsAndGradient(of: image, count: 1) { logitsSeen.append($0); return seed(1)($0) }
        let second = try run.logitsAndGradient(of: image, count: 1) { logitsSeen.append($0); return seed(1)($0) }
        #expect(network.gradientCalls == 1)
        #expect(run.counts.gradientCalls == 1 && run.counts.repeatedGradientCalls == 1)
        #expect(first.logits == second.logits && first.gradient == second.gradient)
        // The loss gradient was asked for both times, with the same logits.
        #expect(logitsSeen.count == 2 && logitsSeen[0] == logitsSeen[1])

        // Another loss gradient, or another image, goes to the network.
        let third = try run.logitsAndGradient(of: image, count: 1, lossGradient: seed(2))
        #expect(network.gradientCalls == 2)
        #expect(third.gradient != first.gradient)
        var moved = image
        moved[0] += 1.0 / 255
        _ = try run.logitsAndGradient(of: moved, count: 1, lossGradient: seed(2))
        #expect(network.gradientCalls == 3)
        // Only the previous call is remembered: going back to an older request calls again.
        _ = try run.logitsAndGradient(of: image, count: 1, lossGradient: seed(2))
        #expect(network.gradientCalls == 4)
        #expect(run.counts.gradientCalls == 4 && run.counts.repeatedGradientCalls == 1)
    }

    @Test("the talk's update in grid mode reuses the answer while its small steps round to the same image")
    func gridModeRepeats() throws {
        let network = TinyNetwork()
        network.recordsImages = true
        // The least probable class: p_target is small, so is ∂p/∂x, and δ needs several steps
        // before a value moves by half a grey level.
        let logits = try TinyNetwork().logits(images: imageUnits(fromEightBit: makeTestImage()), count: 1)
        var config = AttackConfig(method: .talk, target: logits.indices.min { logits[$0] < logits[$1] })
        config.gridMode = true
        config.steps = 40
        let result = try runAttack(config, on: network, image: makeTestImage())
        #expect(result.queries.repeatedGradientCalls > 0)
        // Counts are of real network calls only.
        #expect(result.queries.gradientCalls == network.gradientCalls)
        // Every step still has its trace entry, and no real call repeats the one before it.
        #expect(result.trace.count >= result.queries.gradientCalls + result.queries.repeatedGradientCalls)
        let gradientRequests = network.requests.filter { $0.kind == .gradient }
        for (previous, next) in zip(gradientRequests, gradientRequests.dropFirst()) {
            #expect(previous.images != next.images)
        }
    }

    @Test("counts written before repeatedGradientCalls existed still decode (as 0)")
    func oldCountsDecode() throws {
        let json = #"{"gradientCalls":3,"gradientImages":27,"forwardCalls":2,"forwardImages":3,"blackBoxQueries":0}"#
        let counts = try JSONDecoder().decode(QueryCounts.self, from: Data(json.utf8))
        #expect(counts.gradientImages == 27 && counts.forwardImages == 3 && counts.repeatedGradientCalls == 0)
        var withRepeats = counts
        withRepeats.repeatedGradientCalls = 5
        let again = try JSONDecoder().decode(QueryCounts.self, from: JSONEncoder().encode(withRepeats))
        #expect(again == withRepeats)
    }
}

@Suite("Square Attack: one network call and work proportional to the square per query")
struct SquareQueryTests {
    @Test("projecting one value at a time equals projecting the image (L∞ and unbounded, grid on and off)",
          arguments: [(FeasibleRegion.Ball.linf(3.0 / 255), false), (.linf(3.0 / 255), true),
                      (.unbounded, false), (.unbounded, true)])
    func valueProjectionMatches(_ ball: FeasibleRegion.Ball, _ gridMode: Bool) {
        let region = FeasibleRegion(original: makeTestImage(), ball: ball, gridMode: gridMode)
        var generator = SeededGenerator(seed: 5)
        var image = region.original
        for i in image.indices { image[i] += (2 * generator.nextUnitFloat() - 1) * 6 / 255 }
        var projected = image
        region.project(&projected)
        let oneByOne = image.indices.map { region.projectedValue(image[$0], at: $0) }
        #expect(oneByOne == projected)
    }

    @Test("each query differs from the best image so far only inside one square", arguments: [false, true])
    func queriesChangeOneSquare(gridMode: Bool) throws {
        let network = TinyNetwork()
        network.recordsImages = true
        var config = AttackConfig(method: .square, target: nil)
        config.epsilon = Epsilon(2.0 / 255)
        config.steps = 200
        config.seed = 9
        config.gridMode = gridMode
        // The least probable class as target: out of reach, so all 200 queries are made.
        let logits = try TinyNetwork().logits(images: imageUnits(fromEightBit: makeTestImage()), count: 1)
        config.target = logits.indices.min { logits[$0] < logits[$1] }
        let result = try runAttack(config, on: network, image: makeTestImage())
        let side = network.imageSide
        // The attack's queries: after the original's forward, before the final evaluations.
        let queries = network.requests.dropFirst().prefix(result.queries.blackBoxQueries).map(\.images)
        #expect(queries.count == 200)
        var best = try #require(queries.first)
        for (index, query) in queries.enumerated().dropFirst() {
            var rows = Set<Int>(), columns = Set<Int>()
            for i in query.indices where query[i] != best[i] {
                rows.insert(i / 3 / side)
                columns.insert(i / 3 % side)
            }
            // A square (or a part of one whose values did not change): the changed pixels fit in
            // a box no larger than the square side of this iteration.
            if let top = rows.min(), let bottom = rows.max(), let left = columns.min(), let right = columns.max() {
                let fraction = squareFraction(initial: config.squareInitialFraction, iteration: index, budget: 200)
                let squareSide = min(max(Int((fraction * Double(side * side)).squareRoot().rounded()), 1), side - 1)
                #expect(bottom - top < squareSide && right - left < squareSide)
            }
            // Kept when its loss is lower: the trace's best loss went down at this query.
            if result.trace[index].loss < result.trace[index - 1].loss { best = query }
        }
    }
}
