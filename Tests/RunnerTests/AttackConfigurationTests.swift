import Attacks
import Foundation
import Lessons
import Testing
@testable import Runner

/// Every value Lessons fills in reaches the Attacks configuration, so that what the cache key
/// hashes is what runs.
@Suite struct AttackConfigurationTests {
    /// The parameters and target of the only attack block of a lesson with `settings`.
    static func parameters(_ settings: String) throws -> (AttackParameters, ClassTarget?, Int) {
        let project = try RunnerProject()
        try project.write("es/01-prueba.md", RunnerProject.lesson("```attack\nimage: images/chelsea.png\n\(settings)\n```\n"))
        guard case .attack(let body)? = try project.directives().first?.body else {
            throw TestFailure("no attack block")
        }
        return (body.parameters, body.target, body.seed)
    }

    @Test func pgdGetsTheLessonsStepSizeAndRandomStartNotTheAttacksDefaults() throws {
        let (parameters, target, seed) = try Self.parameters("method: pgd\ntarget: trilobite\nepsilon: 2/255\nsteps: 20\nseed: 7")
        let config = try AttackConfiguration.make(parameters, target: target, seed: seed)
        #expect(config.method == .pgd)
        #expect(config.target == 69)
        #expect(config.epsilon == Epsilon(2.0 / 255))
        #expect(config.steps == 20)
        // Lessons' rule (Madry et al.): 2.5·ε/steps, where Attacks alone would take ε/4.
        #expect(config.stepSize == 2.5 * (2.0 / 255) / 20)
        #expect(config.randomStart == true)
        #expect(config.goal == 0.95 || config.goal == nil)
        #expect(config.goal == parameters.goal)
        #expect(config.gridMode == false)
        #expect(config.seed == 7)
    }

    @Test func theTalksBoundInModelUnitsStaysInModelUnits() throws {
        let (parameters, target, seed) = try Self.parameters(
            "method: talk\ntarget: trilobite\nbound-model-units: 0.01\nsteps: 40\ngrid: true")
        let config = try AttackConfiguration.make(parameters, target: target, seed: seed)
        #expect(config.epsilon == .modelInput(0.01))
        #expect(config.steps == 40)
        #expect(config.goal == 0.95)
        #expect(config.gridMode)
        #expect(AttackConfiguration.boundDescription(parameters) == "0.01 model units")
    }

    @Test func anUnboundedTalkHasNoEpsilonAtAll() throws {
        let (parameters, target, seed) = try Self.parameters("method: talk\ntarget: trilobite")
        let config = try AttackConfiguration.make(parameters, target: target, seed: seed)
        #expect(config.epsilon == nil)
        // The lessons' default step limit, not the Attacks module's 3000.
        #expect(config.steps == 500)
        #expect(AttackConfiguration.boundDescription(parameters) == nil)
    }

    @Test func squaresQueryBudgetIsItsStepLimit() throws {
        let (parameters, target, seed) = try Self.parameters("method: square\nepsilon: 8/255\nqueries: 300")
        let config = try AttackConfiguration.make(parameters, target: target, seed: seed)
        #expect(config.method == .square)
        #expect(config.steps == 300)
        #expect(config.target == nil)
    }

    @Test func carliniWagnerSettingsArePassedOn() throws {
        let (parameters, target, seed) = try Self.parameters(
            "method: cw\ntarget: trilobite\nc: 2.5\nkappa: 0.5\nlearning-rate: 0.02\nsteps: 30")
        let config = try AttackConfiguration.make(parameters, target: target, seed: seed)
        #expect(config.cwConstant == 2.5)
        #expect(config.cwConfidence == 0.5)
        #expect(config.cwLearningRate == 0.02)
        #expect(config.steps == 30)
        #expect(config.epsilon == nil)
    }

    @Test func fgsmTakesOneStepAndMomentumReachesMIFGSM() throws {
        let (fgsm, _, _) = try Self.parameters("method: fgsm\nepsilon: 4/255")
        #expect(try AttackConfiguration.make(fgsm, target: nil, seed: 0).steps == 1)
        let (mifgsm, _, _) = try Self.parameters("method: mifgsm\nepsilon: 4/255\nmomentum: 0.5\nsteps: 4")
        let config = try AttackConfiguration.make(mifgsm, target: nil, seed: 0)
        #expect(config.momentum == 0.5)
        #expect(config.steps == 4)
        #expect(config.stepSize == 2.5 * (4.0 / 255) / 4)
    }

    @Test func deepFoolOvershootIsPassedOn() throws {
        let (parameters, _, _) = try Self.parameters("method: deepfool\novershoot: 0.05\nsteps: 12")
        let config = try AttackConfiguration.make(parameters, target: nil, seed: 0)
        #expect(config.overshoot == 0.05)
        #expect(config.steps == 12)
    }

    @Test func everyLessonMethodIsKnownToTheAttacks() {
        for rules in AttackMethodRules.standard {
            #expect(AttackMethod(rawValue: rules.name) != nil, "Lessons accepts '\(rules.name)', Attacks does not")
        }
    }
}
