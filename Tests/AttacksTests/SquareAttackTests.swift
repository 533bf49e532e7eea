@testable import Attacks
import Testing

@Suite("Square Attack: black box, queries counted exactly")
struct SquareAttackTests {
    @Test("queries equal the images the network was asked about, and no gradient is used",
          arguments: [true, false])
    func queriesAreCounted(targeted: Bool) throws {
        let network = TinyNetwork()
        var config = AttackConfig(method: .square, target: targeted ? easyTarget : nil)
        config.steps = 1000
        config.seed = 3
        let result = try runAttack(config, on: network, image: makeTestImage())
        #expect(network.gradientCalls == 0)
        #expect(result.queries.gradientImages == 0)
        #expect(result.queries.forwardImages == network.forwardImages)
        // The attack's own queries: its starting image and one per iteration, one trace entry
        // each; the rest are the original's and the saved image's evaluations.
        #expect(result.queries.blackBoxQueries == result.trace.count)
        #expect(result.queries.blackBoxQueries == result.steps + 1)
        let bookkeeping = network.forwardImages - result.queries.blackBoxQueries
        #expect(bookkeeping >= 1 && bookkeeping <= 3)
        #expect(result.queries.blackBoxQueries <= 1000)
        #expect(result.stopReason == .succeeded)
    }

    @Test("the budget is used exactly when the target is out of reach")
    func budgetIsExact() throws {
        let network = TinyNetwork()
        // The least probable class with a 2-level bound: not reachable in 25 queries.
        let logits = try TinyNetwork().logits(images: imageUnits(fromEightBit: makeTestImage()), count: 1)
        let hardest = logits.indices.min { logits[$0] < logits[$1] } ?? 0
        var config = AttackConfig(method: .square, target: hardest)
        config.epsilon = Epsilon(2.0 / 255)
        config.steps = 25
        let result = try runAttack(config, on: network, image: makeTestImage())
        #expect(result.stopReason == .queryBudgetExhausted)
        #expect(result.queries.blackBoxQueries == 25)
        #expect(result.trace.count == 25)
        #expect(result.queries.forwardImages == network.forwardImages)
        // The loss trace only goes down: a candidate is kept only when its loss is lower.
        let losses = result.trace.map(\.loss)
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 <= $0 })
    }

    @Test("the fraction schedule halves at the paper's iterations, rescaled to the budget")
    func fractionSchedule() {
        #expect(squareFraction(initial: 0.8, iteration: 10, budget: 10_000) == 0.8)
        #expect(squareFraction(initial: 0.8, iteration: 11, budget: 10_000) == 0.4)
        #expect(squareFraction(initial: 0.8, iteration: 50, budget: 10_000) == 0.4)
        #expect(squareFraction(initial: 0.8, iteration: 51, budget: 10_000) == 0.2)
        #expect(squareFraction(initial: 0.8, iteration: 8001, budget: 10_000) == 0.8 / 512)
        // A budget of 1000: iteration 2 is iteration 20 of 10 000.
        #expect(squareFraction(initial: 0.8, iteration: 1, budget: 1000) == 0.8)
        #expect(squareFraction(initial: 0.8, iteration: 2, budget: 1000) == 0.4)
    }
}
