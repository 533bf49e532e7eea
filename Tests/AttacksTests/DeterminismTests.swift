import Attacks
import Testing

@Suite("Same seed and inputs, same record")
struct DeterminismTests {
    static let cases: [AttackCase] = behaviourCases + gridCases

    @Test("two runs give equal records once the timings are zeroed", arguments: cases)
    func sameSeedSameResult(_ testCase: AttackCase) throws {
        let original = makeTestImage()
        let first = try runAttack(testCase.config, on: TinyNetwork(), image: original).withTimingsZeroed()
        let second = try runAttack(testCase.config, on: TinyNetwork(), image: original).withTimingsZeroed()
        // Compared field by field through Equatable (the float image included); == on the whole
        // record would print two full records on failure, so report only the verdict.
        let equal = first == second
        #expect(equal)
        #expect(first.wallTimeSeconds == 0 && first.attackSeconds == 0)
    }

    @Test("the seed changes the random choices", arguments: [AttackMethod.pgd, .pgdL2, .square])
    func seedMatters(_ method: AttackMethod) throws {
        var config = AttackConfig(method: method, target: nil)
        config.steps = method == .square ? 20 : 3
        let original = makeTestImage()
        config.seed = 1
        let first = try runAttack(config, on: TinyNetwork(), image: original)
        config.seed = 2
        let second = try runAttack(config, on: TinyNetwork(), image: original)
        let sameImage = first.adversarialFloatImage == second.adversarialFloatImage
        #expect(!sameImage)
        #expect(first.seed == 1 && second.seed == 2)
    }
}
