import Attacks
import Foundation
import Testing

@Suite("The result record and the configuration as JSON")
struct ResultRecordTests {
    @Test("a result survives JSON, without the float image")
    func resultRoundTrip() throws {
        var config = AttackConfig(method: .pgd, target: easyTarget)
        config.steps = 3
        let result = try runAttack(config, on: TinyNetwork(), image: makeTestImage())
        let data = try JSONEncoder().encode(result)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("adversarialFloatImage"))
        var decoded = try JSONDecoder().decode(AttackResult.self, from: data)
        #expect(decoded.adversarialFloatImage.isEmpty)
        decoded.adversarialFloatImage = result.adversarialFloatImage
        let equal = decoded == result
        #expect(equal)
    }

    @Test("the record carries what the issue lists")
    func recordFields() throws {
        var config = AttackConfig(method: .mifgsm, target: easyTarget)
        config.seed = 99
        let result = try runAttack(config, on: TinyNetwork(), image: makeTestImage())
        #expect(result.seed == 99)
        #expect(result.config.stepSize == 2.0 / 255)  // the default ε/4, filled in
        #expect(result.top5Before.count == 5 && result.top5After.count == 5 && result.top5AfterFloat.count == 5)
        #expect(result.top5Before.first?.classIndex == result.originalClass)
        #expect(result.adversarialImage.count == 16 * 16 * 3)
        #expect(result.metrics.psnr != nil)
        #expect(result.metrics.ssim != nil)
        #expect(result.wallTimeSeconds > 0)
        // The method's own time, without the evaluation of its result: part of the whole.
        let attackSeconds = try #require(result.attackSeconds)
        #expect(attackSeconds > 0 && attackSeconds <= result.wallTimeSeconds)
        #expect(result.trace.last.map { $0.elapsedSeconds <= result.wallTimeSeconds } == true)
        #expect(result.steps == 10)
        #expect(result.queries.gradientCalls == 10)
        #expect(!result.lossName.isEmpty)
    }

    @Test("a configuration survives JSON, nil values included")
    func configRoundTrip() throws {
        for method in AttackMethod.allCases {
            var config = AttackConfig(method: method, target: method.canBeTargeted ? 3 : nil)
            config.goal = nil  // the talk's default is 0.95: nil must stay nil
            let data = try JSONEncoder().encode(config)
            let decoded = try JSONDecoder().decode(AttackConfig.self, from: data)
            #expect(decoded == config)
        }
    }

    @Test("a hand-written configuration takes the method's defaults for missing keys")
    func configDefaults() throws {
        let json = #"{"method": "pgd", "target": 69, "epsilon": "2/255", "steps": 20}"#
        let config = try JSONDecoder().decode(AttackConfig.self, from: Data(json.utf8))
        var expected = AttackConfig(method: .pgd, target: 69)
        expected.epsilon = Epsilon(2.0 / 255)
        expected.steps = 20
        #expect(config == expected)
        #expect(config.randomStart)
        let talk = try JSONDecoder().decode(AttackConfig.self, from: Data(#"{"method": "talk", "target": 69}"#.utf8))
        #expect(talk.goal == 0.95 && talk.steps == 3000 && talk.epsilon == nil)
    }

    @Test("CLI names", arguments: AttackMethod.allCases)
    func cliNames(_ method: AttackMethod) throws {
        let names = ["talk", "talk-sign", "fgsm", "bim", "pgd", "pgd-l2", "mifgsm", "cw", "deepfool", "square"]
        #expect(names.contains(method.rawValue))
        #expect(try AttackMethod(parsing: method.rawValue) == method)
    }
}

@Suite("Result records written before a field existed")
struct OlderRecordTests {
    @Test("a result without attackSeconds decodes, with nil")
    func resultWithoutAttackSeconds() throws {
        let result = try runAttack(AttackConfig(method: .fgsm, target: nil), on: TinyNetwork(), image: makeTestImage())
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        #expect(object["attackSeconds"] != nil)
        object["attackSeconds"] = nil
        let older = try JSONDecoder().decode(AttackResult.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(older.attackSeconds == nil)
        #expect(older.withTimingsZeroed().attackSeconds == nil)
        #expect(older.adversarialImage == result.adversarialImage)
    }
}
