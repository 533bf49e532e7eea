import Attacks
import Testing

/// A bad request, the error it must raise, and words its message must contain.
struct BadRequest: Sendable, CustomTestStringConvertible {
    var name: String
    var config: AttackConfig
    var image: [UInt8] = makeTestImage()
    var error: AttackError
    var messageMentions: [String]

    var testDescription: String { name }
}

func bad(
    _ name: String, _ method: AttackMethod, target: Int? = nil, error: AttackError, mentions: [String],
    image: [UInt8] = makeTestImage(), _ adjust: (inout AttackConfig) -> Void = { _ in }
) -> BadRequest {
    var config = AttackConfig(method: method, target: target)
    adjust(&config)
    return BadRequest(name: name, config: config, image: image, error: error, messageMentions: mentions)
}

let badRequests: [BadRequest] = [
    bad("ε = 0", .pgd, error: .epsilonOutOfRange(method: .pgd, imageUnits: 0), mentions: ["greater than 0", "8/255"]) {
        $0.epsilon = Epsilon(0)
    },
    bad("ε < 0", .fgsm, error: .epsilonOutOfRange(method: .fgsm, imageUnits: -0.1), mentions: ["-0.1"]) {
        $0.epsilon = Epsilon(-0.1)
    },
    bad("ε = 1", .bim, error: .epsilonOutOfRange(method: .bim, imageUnits: 1), mentions: ["less than 1"]) {
        $0.epsilon = Epsilon(1)
    },
    bad("ε ≥ 1 in grey levels", .square, error: .epsilonOutOfRange(method: .square, imageUnits: 300.0 / 255),
        mentions: ["less than 1"]) { $0.epsilon = .greyLevels(300) },
    bad("L2 ε = 0", .pgdL2, error: .epsilonOutOfRange(method: .pgdL2, imageUnits: 0), mentions: ["L2"]) {
        $0.epsilon = Epsilon(0)
    },
    bad("missing ε", .pgd, error: .epsilonRequired(.pgd), mentions: ["needs an ε"]) { $0.epsilon = nil },
    bad("ε on C&W", .cw, error: .epsilonNotUsed(.cw), mentions: ["pgd-l2"]) { $0.epsilon = Epsilon(0.1) },
    bad("ε below one grey level in grid mode", .pgd, error: .epsilonBelowOneGreyLevel(imageUnits: 0.5 / 255),
        mentions: ["less than one", "grid"]) { $0.epsilon = .greyLevels(0.5); $0.gridMode = true },
    bad("steps = 0", .bim, error: .stepsNotPositive(0), mentions: ["at least 1"]) { $0.steps = 0 },
    bad("steps < 0", .square, error: .stepsNotPositive(-5), mentions: ["-5"]) { $0.steps = -5 },
    bad("FGSM with 10 steps", .fgsm, error: .singleStepMethod(method: .fgsm, steps: 10), mentions: ["bim"]) {
        $0.steps = 10
    },
    bad("goal = 0", .talk, target: 1, error: .goalOutOfRange(0), mentions: ["0.95"]) { $0.goal = 0 },
    bad("goal = 1", .talkSign, target: 1, error: .goalOutOfRange(1), mentions: ["less than 1"]) { $0.goal = 1 },
    bad("goal = 1.5", .pgd, target: 1, error: .goalOutOfRange(1.5), mentions: ["1.5"]) { $0.goal = 1.5 },
    bad("goal without target", .pgd, error: .goalWithoutTarget(.pgd), mentions: ["target"]) { $0.goal = 0.9 },
    bad("step size 0", .pgd, error: .stepSizeNotPositive(0), mentions: ["greater than 0"]) { $0.stepSize = 0 },
    bad("step size < 0", .talkSign, target: 1, error: .stepSizeNotPositive(-0.01), mentions: ["-0.01"]) {
        $0.stepSize = -0.01
    },
    bad("DeepFool with a target", .deepfool, target: 3, error: .methodCannotBeTargeted(.deepfool),
        mentions: ["untargeted", "Remove the target"]),
    bad("target = classCount", .pgd, target: 10, error: .targetOutOfRange(target: 10, classCount: 10),
        mentions: ["0...9"]),
    bad("target < 0", .cw, target: -1, error: .targetOutOfRange(target: -1, classCount: 10), mentions: ["-1"]),
    bad("talk without target", .talk, error: .targetRequired(.talk), mentions: ["give a target"]),
    bad("negative momentum", .mifgsm, error: .parameterOutOfRange(name: "momentum", value: -1,
        allowed: "0 or greater (1.0 in the paper)"), mentions: ["momentum"]) { $0.momentum = -1 },
    bad("C&W c = 0", .cw, error: .parameterOutOfRange(name: "cwConstant", value: 0,
        allowed: "greater than 0, e.g. 1"), mentions: ["cwConstant"]) { $0.cwConstant = 0 },
    bad("C&W 0 rounds", .cw, error: .parameterOutOfRange(name: "cwSearchRounds", value: 0,
        allowed: "at least 1 (1 keeps c fixed)"), mentions: ["cwSearchRounds"]) { $0.cwSearchRounds = 0 },
    bad("DeepFool 1 candidate", .deepfool, error: .parameterOutOfRange(name: "candidateClasses", value: 1,
        allowed: "between 2 and the number of classes (10)"), mentions: ["candidateClasses"]) {
        $0.candidateClasses = 1
    },
    bad("negative overshoot", .deepfool, error: .parameterOutOfRange(name: "overshoot", value: -0.5,
        allowed: "0 or greater, e.g. 0.02"), mentions: ["overshoot"]) { $0.overshoot = -0.5 },
    bad("Square fraction 0", .square, error: .parameterOutOfRange(name: "squareInitialFraction", value: 0,
        allowed: "greater than 0 and at most 1"), mentions: ["squareInitialFraction"]) {
        $0.squareInitialFraction = 0
    },
    bad("image of the wrong size", .fgsm, error: .imageSizeMismatch(expectedBytes: 768, actualBytes: 300, side: 16),
        mentions: ["16×16", "768"], image: [UInt8](repeating: 0, count: 300)),
]

@Suite("Bad requests are refused before any network call, with messages a user can act on")
struct ValidationTests {
    @Test("each bad input raises its error", arguments: badRequests)
    func refuses(_ request: BadRequest) {
        let network = TinyNetwork()
        #expect(throws: request.error) {
            try runAttack(request.config, on: network, image: request.image)
        }
        #expect(network.forwardCalls == 0 && network.gradientCalls == 0)
        for word in request.messageMentions {
            #expect(request.error.description.contains(word), "\(request.error.description)")
        }
    }

    @Test("validation without a classifier, for checking lesson directives before anything runs")
    func validatesWithoutClassifier() {
        var config = AttackConfig(method: .deepfool, target: 69)
        #expect(throws: AttackError.methodCannotBeTargeted(.deepfool)) {
            try config.validate(imageSide: 224, classCount: 1000, modelInputScale: 255.0 / 128)
        }
        config.target = nil
        #expect(throws: Never.self) {
            try config.validate(imageSide: 224, classCount: 1000, modelInputScale: 255.0 / 128)
        }
    }

    @Test("every method's defaults are valid", arguments: AttackMethod.allCases)
    func defaultsAreValid(_ method: AttackMethod) {
        let config = AttackConfig(method: method, target: method.canBeTargeted ? 5 : nil)
        #expect(throws: Never.self) {
            try config.validate(imageSide: 16, classCount: 10, modelInputScale: 2)
        }
    }

    @Test("unknown method names suggest the nearest ones")
    func unknownMethod() throws {
        #expect(try AttackMethod(parsing: "pgd-l2") == .pgdL2)
        #expect(try AttackMethod(parsing: " Talk-Sign ") == .talkSign)
        #expect(try AttackMethod(parsing: "i-fgsm") == .bim)
        #expect(throws: AttackError.unknownMethod(name: "pgdd", suggestions: ["pgd"])) {
            try AttackMethod(parsing: "pgdd")
        }
        let error = AttackError.unknownMethod(name: "deepfol", suggestions: ["deepfool"])
        #expect(error.description.contains("Did you mean deepfool?"))
    }

    @Test("a classifier answering with the wrong shape or NaN is reported, not trusted")
    func badClassifierAnswers() {
        #expect(throws: AttackError.classifierOutputSize(what: "logits", expected: 10, actual: 3)) {
            try runAttack(AttackConfig(method: .fgsm), on: BrokenNetwork(mode: .shortLogits), image: makeTestImage())
        }
        #expect(throws: AttackError.classifierNonFiniteOutput(what: "the input gradient")) {
            try runAttack(AttackConfig(method: .fgsm), on: BrokenNetwork(mode: .nanGradient), image: makeTestImage())
        }
    }
}

/// A classifier that answers wrongly, for the checks of its answers.
final class BrokenNetwork: Classifier {
    enum Mode { case shortLogits, nanGradient }
    let mode: Mode
    let imageSide = 16
    let classCount = 10
    let modelInputScale: Float = 1
    init(mode: Mode) { self.mode = mode }

    func logits(images: [Float], count: Int) throws -> [Float] {
        mode == .shortLogits ? [1, 2, 3] : (0..<(count * 10)).map(Float.init)
    }

    func logitsAndGradient(
        images: [Float], count: Int, lossGradient: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradient: [Float]) {
        let logits = try self.logits(images: images, count: count)
        _ = lossGradient(logits)
        return (logits, [Float](repeating: .nan, count: images.count))
    }
}
