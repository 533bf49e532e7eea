import Foundation
import Testing
@testable import Lessons

/// The `sweep` directive: its keys and defaults, its points, its errors with positions, its
/// `{{id.method.epsN.field}}` references, and the run plan's one job per point.
@Suite struct SweepDirectiveTests {
    static let file = "lessons/es/01-prueba.md"

    /// A sweep block whose fence is on line 7, so `lines[0]` is on line 8.
    static func sweepLesson(_ lines: [String]) -> String {
        Fixtures.lesson("\n```sweep\n" + lines.map { $0 + "\n" }.joined() + "```\n")
    }

    /// The lines of a valid block (8–11); `extra` goes on line 12.
    static func lines(image: String = "image: images/gato.png",
                      methods: String = "methods: [fgsm, {method: pgd, steps: 5, grid: true}]",
                      epsilons: String = "epsilons: [1/255, 2/255]", extra: [String] = []) -> [String] {
        [image, "target: trilobite", methods, epsilons] + extra
    }

    /// The fixture lesson `Fixtures/sweep/barrido.md`, as `es/01-barrido.md` of a fresh folder.
    static func fixtureFolder() throws -> LessonFolder {
        let folder = try LessonFolder()
        let fixture = try Fixtures.lessonsRoot + "/../sweep/barrido.md"
        try folder.write("es/01-barrido.md", String(contentsOfFile: fixture, encoding: .utf8))
        return folder
    }

    static func sweep(_ directive: Directive?) throws -> SweepDirective {
        guard case .sweep(let sweep)? = directive?.body else { throw TestFailure("not a sweep: \(String(describing: directive))") }
        return sweep
    }

    // MARK: Reading

    @Test func theFixtureReadsWithDefaultsFilledIn() throws {
        let result = try Self.fixtureFolder().load()
        #expect(result.diagnostics.map(\.description) == [])
        let lesson = try #require(result.lessons?.lessons.first)
        let single = try Self.sweep(lesson.directives.first)
        #expect(single.images == ["images/gato.png"])
        #expect(single.series.map(\.method) == ["fgsm", "pgd", "mifgsm"])
        #expect(single.series.map(\.label) == [nil, "PGD (10 pasos)", nil])
        let expected: [Double] = [1, 2, 4].map { $0 / 255 }
        #expect(single.epsilons == expected)
        #expect(single.quantity == .targetProbability, "one image with a target draws its probability")
        #expect(single.scale == .log)
        #expect(lesson.directives.first?.presentation.show == ["chart", "table"])
        #expect(lesson.directives.first?.figureNumber == 1)

        let several = try Self.sweep(lesson.directives.last)
        #expect(several.quantity == .successRate, "several images draw the success rate")
        #expect(several.scale == .linear)
        #expect(lesson.directives.last?.presentation.show == ["table"])
        #expect(lesson.resultReferences.map(\.text) == [
            "barrido.pgd.eps2.target_p_after", "barrido.pgd.eps2.success", "fotos.pgd.eps4.successes",
            "fotos.pgd.eps4.images", "fotos.pgd.eps4.success_rate", "fotos.pgd.eps4.tostadora.target_p_after",
        ])
        #expect(lesson.resultReferences[0].row == .sweepPoint(series: 1, epsilon: 1, image: 0))
        #expect(lesson.resultReferences[4].row == .sweepEpsilon(series: 0, epsilon: 1))
        #expect(lesson.resultReferences[4].field == .sweep(.successRate))
        #expect(lesson.resultReferences[5].row == .sweepPoint(series: 0, epsilon: 1, image: 1))
    }

    @Test func eachPointIsTheAttackAnAttackBlockWithThatEpsilonReads() throws {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", Fixtures.lesson("""

            ```sweep
            image: images/gato.png
            target: trilobite
            methods: [{method: pgd, steps: 10, grid: true}, {method: bim, step-size: 1/255}]
            epsilons: [2/255, 8/255]
            ```

            ```attack
            image: images/gato.png
            target: trilobite
            method: pgd
            steps: 10
            grid: true
            epsilon: 8/255
            ```

            """))
        let result = folder.load()
        #expect(result.diagnostics.map(\.description) == [])
        let directives = try #require(result.lessons?.lessons.first?.directives)
        let sweep = try Self.sweep(directives.first)
        #expect(sweep.pointIndices.count == 4)
        let point = sweep.point(image: 0, series: 0, epsilon: 1)
        #expect(DirectiveBody.attack(point) == directives[1].body)
        // An unwritten step size follows each ε (2.5·ε/steps); a written one stays.
        #expect(sweep.point(image: 0, series: 0, epsilon: 0).parameters.stepSize == 2.5 * (2.0 / 255) / 10)
        #expect(point.parameters.stepSize == 2.5 * (8.0 / 255) / 10)
        #expect(sweep.point(image: 0, series: 1, epsilon: 0).parameters.stepSize == 1.0 / 255)
        #expect(sweep.point(image: 0, series: 1, epsilon: 1).parameters.stepSize == 1.0 / 255)
        #expect(SweepDirective.epsilonToken(2.0 / 255) == "eps2")
        #expect(SweepDirective.epsilonToken(1.5 / 255) == "eps1_5")
        #expect(SweepDirective.epsilonToken(0.01) == "eps2_55")
    }

    // MARK: Errors

    static let badBlocks: [(lines: [String], expected: String)] = [
        (lines(extra: ["epsilon: 2/255"]), "12:1: error: unknown key 'epsilon'; did you mean 'epsilons'?"),
        (lines(methods: "methods: [cw]"), "10:11: error: cw cannot be swept over ε: it searches for the smallest "
            + "perturbation itself and takes no ε; use one of talk, talk-sign, fgsm, bim, pgd, mifgsm, square"),
        (lines(methods: "methods: [{method: pgd-l2}]"), "10:20: error: pgd-l2 cannot be swept over ε: its bound is an "
            + "L2 radius, not an L∞ ε in grey levels; use one of talk, talk-sign, fgsm, bim, pgd, mifgsm, square"),
        (lines(methods: "methods: []"), "10:10: error: methods is empty; list at least one method, "
            + "e.g. '- {method: pgd, steps: 10}'"),
        (lines(methods: "methods: [{method: pgd, epsilon: 2/255}]"), "10:25: error: epsilon is set for every point by "
            + "the block's 'epsilons' list; remove it from this method"),
        (lines(methods: "methods: [pgd, {method: pgd, steps: 20}]"), "10:16: error: methods 1 and 2 are both 'pgd' and "
            + "the chart could not tell their lines apart; give each a label, e.g. 'label: PGD, 2'"),
        (lines(methods: "methods: [{method: pgd, stpes: 20}]"), "10:25: error: unknown key 'stpes'; did you mean 'steps'?"),
        (lines(epsilons: "epsilons: []"), "11:11: error: epsilons is empty; list the bounds to try, "
            + "e.g. [1/255, 2/255, 4/255, 8/255]"),
        (lines(epsilons: "epsilons: [1/255, 2/255, 1/255]"), "11:26: error: epsilons lists 1/255 twice (first on line "
            + "11); list each bound once"),
        (lines(epsilons: "epsilons: [1/255, 2]"), "11:19: error: epsilons must be greater than 0 and less than 1 (L∞ "
            + "bounds on the [0,1] image scale, e.g. 2/255); got 2"),
        (lines(epsilons: "epsilons: [0.5/255, 1/255]"), "11:12: error: epsilon 0.5/255 is less than one grey level: "
            + "with grid: true (method 2) the 8-bit image could not change at all; use at least 1/255"),
        (lines(extra: ["quantity: rate"]), "12:11: error: unknown quantity 'rate'; did you mean 'success-rate'? "
            + "(a sweep draws target-probability or success-rate)"),
        (lines(extra: ["quantity: success-rate", "scale: log"]), "13:8: error: a success rate is drawn on a linear axis "
            + "(0 % cannot be shown on a logarithmic one); remove 'scale: log' or draw 'quantity: target-probability'"),
        (lines(extra: ["show: [chart, grid]"]), "12:15: error: unknown figure 'grid' in show (sweep blocks can show "
            + "chart, table)"),
        (lines(image: "images: [images/gato.png, images/gato.png]"), "8:27: error: images lists images/gato.png "
            + "twice; list each image once"),
    ]

    @Test(arguments: badBlocks)
    func badBlocksSayWhatIsWrongAndWhere(lines: [String], expected: String) throws {
        let messages = try ValidationTests.diagnose(Self.sweepLesson(lines))
        #expect(messages == ["\(Self.file):\(expected)"])
    }

    @Test func anUnknownMethodSuggestsTheNearestOne() throws {
        let messages = try ValidationTests.diagnose(Self.sweepLesson(Self.lines(methods: "methods: [pdg]")))
        try #require(messages.count == 1)
        #expect(messages[0].hasPrefix("\(Self.file):10:11: error: unknown attack method 'pdg'; did you mean 'pgd'"))
    }

    @Test func aTargetProbabilityNeedsATarget() throws {
        let text = Self.sweepLesson(["image: images/gato.png", "methods: [pgd]", "epsilons: [2/255]",
                                     "quantity: target-probability"])
        #expect(try ValidationTests.diagnose(text) == ["\(Self.file):11:11: error: target-probability needs a target "
            + "class: add 'target: trilobite', or draw 'quantity: success-rate'"])
        // Without a target the default is the success rate, which needs none.
        #expect(try ValidationTests.diagnose(Self.sweepLesson(["image: images/gato.png", "methods: [pgd]",
                                                               "epsilons: [2/255]"])) == [])
    }

    @Test func anUntargetedSweepCountsSuccessesAndHasNoTargetFields() throws {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", Fixtures.lesson("""

            ```sweep
            image: images/gato.png
            methods: [fgsm, deepfool]
            epsilons: [2/255]
            id: s
            ```

            {{s.fgsm.eps2.target_p_after}} {{s.fgsm.eps2.target_p_mean}} {{s.fgsm.eps2.original_p_after}}

            """))
        #expect(folder.messages() == [
            "\(Self.file):9:17: error: deepfool cannot be swept over ε: it searches for the smallest perturbation "
                + "itself and takes no ε; use one of talk, talk-sign, fgsm, bim, pgd, mifgsm, square",
        ])
        try folder.write("es/01-prueba.md", String(contentsOfFile: folder.root + "/es/01-prueba.md", encoding: .utf8)
            .replacingOccurrences(of: "[fgsm, deepfool]", with: "[fgsm, pgd]"))
        #expect(folder.messages() == [
            "\(Self.file):14:1: error: {{s.fgsm.eps2.target_p_after}}: the attack is untargeted, so there is no "
                + "target_p_after; add a target or use original, original_p_after or top1_after",
            "\(Self.file):14:32: error: {{s.fgsm.eps2.target_p_mean}}: the sweep has no target, so there is no "
                + "target_p_mean; use success_rate",
        ])
        // Without those two, the rest reads: the original class's probability and the success rate.
        try folder.write("es/01-prueba.md", String(contentsOfFile: folder.root + "/es/01-prueba.md", encoding: .utf8)
            .replacingOccurrences(of: "{{s.fgsm.eps2.target_p_after}} {{s.fgsm.eps2.target_p_mean}} ", with: "")
            .replacingOccurrences(of: "original_p_after}}", with: "original_p_after}} {{s.pgd.eps2.success_rate}}"))
        let result = folder.load()
        #expect(result.diagnostics.map(\.description) == [])
        let sweep = try Self.sweep(result.lessons?.lessons.first?.directives.first)
        #expect(result.lessons?.lessons.first?.resultReferences.map(\.field.name) == ["original_p_after", "success_rate"])
        #expect(sweep.quantity == .successRate)
        #expect(sweep.target == nil)
    }

    // MARK: References

    /// The sweep block (lines 7–13) with `id: s` and two images, then `prose` on line 15.
    static func referenceLesson(_ prose: String, images: String = "[images/gato.png, images/tostadora.png]") -> String {
        Fixtures.lesson("""

            ```sweep
            images: \(images)
            target: trilobite
            methods: [fgsm, pgd]
            epsilons: [1/255, 2/255, 4/255]
            id: s
            ```

            \(prose)

            """)
    }

    static let badReferences: [(prose: String, expected: String)] = [
        ("{{s.pgd.2.gato.success}}", "15:1: error: {{s.pgd.2.gato.success}}: write the ε as 'eps' and its grey levels, "
            + "e.g. eps1 for 1/255 (this block's: eps1, eps2, eps4)"),
        ("{{s.pgd.eps3.gato.success}}", "15:1: error: {{s.pgd.eps3.gato.success}}: the sweep block has no ε 'eps3'; "
            + "did you mean 'eps1'? (this block's: eps1, eps2, eps4)"),
        ("{{s.pgd.eps2.success}}", "15:1: error: {{s.pgd.eps2.success}}: this sweep has 2 images; say which, e.g. "
            + "{{s.fgsm.eps4.gato.success}}, or use a field over all of them (success_rate, successes, images, "
            + "target_p_mean)"),
        ("{{s.pgd.eps2.gato.success_rate}}", "15:1: error: {{s.pgd.eps2.gato.success_rate}}: success_rate is over all "
            + "of the block's images; remove the image, or use success for one image"),
        ("{{s.pgd.eps2.perro.success}}", "15:1: error: {{s.pgd.eps2.perro.success}}: the sweep block has no image "
            + "'perro' (images: gato, tostadora or 1 to 2)"),
        ("{{s.pdg.eps2.gato.success}}", "15:1: error: {{s.pdg.eps2.gato.success}}: the sweep block has no attack 'pdg'; "
            + "did you mean 'pgd'? (rows: fgsm, pgd or 1 to 2)"),
        ("{{s.pgd.success}}", "15:1: error: {{s.pgd.success}}: a sweep result names a method and an ε, e.g. "
            + "{{s.fgsm.eps4.gato.success}} (rows: fgsm, pgd or 1 to 2; ε: eps1, eps2, eps4)"),
    ]

    @Test(arguments: badReferences)
    func badReferencesSayWhatIsWrong(prose: String, expected: String) throws {
        #expect(try ValidationTests.diagnose(Self.referenceLesson(prose)) == ["\(Self.file):\(expected)"])
    }

    @Test func goodReferencesReadAPointOrTheImagesTogether() throws {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", Self.referenceLesson(
            "{{s.pgd.eps2.2.target_p_after}} {{s.2.eps4.tostadora.linf_grey}} {{s.fgsm.eps1.target_p_mean}}"))
        let result = folder.load()
        #expect(result.diagnostics.map(\.description) == [])
        let references = try #require(result.lessons?.lessons.first?.resultReferences)
        #expect(references.map(\.row) == [.sweepPoint(series: 1, epsilon: 1, image: 1),
                                          .sweepPoint(series: 1, epsilon: 2, image: 1),
                                          .sweepEpsilon(series: 0, epsilon: 0)])
        #expect(references.map(\.field.name) == ["target_p_after", "linf_grey", "target_p_mean"])
    }

    // MARK: The plan

    final class PlanProject {
        let project: RunPlanTests.Project
        init() throws { project = try RunPlanTests.Project() }

        func plan(spanish: String, english: String? = nil) throws -> RunPlan {
            try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + spanish))
            if let english { try project.lessons.write("en/01-a.md", Fixtures.lesson("\n" + english)) }
            return try project.plan()
        }
    }

    static func sweepBlock(epsilons: String, methods: String = "[fgsm, {method: pgd, steps: 10, grid: true}]",
                           id: String = "barrido") -> String {
        """
        ```sweep
        images: [images/gato.png, images/tostadora.png]
        target: trilobite
        methods: \(methods)
        epsilons: \(epsilons)
        id: \(id)
        ```

        """
    }

    @Test func everyPointIsAJobOfItsOwnAndTheSweepListsThemAsParts() throws {
        let plan = try PlanProject().plan(spanish: Self.sweepBlock(epsilons: "[1/255, 2/255]"))
        // 2 images × 2 methods × 2 ε, then the sweep.
        #expect(plan.jobs.count == 9)
        let sweep = try #require(plan.jobs.last)
        #expect(sweep.kind == "sweep")
        #expect(sweep.parts == plan.jobs.dropLast().map(\.key))
        #expect(plan.jobs.dropLast().allSatisfy { $0.kind == "attack" && $0.uses.isEmpty && $0.partOf.count == 1 })
        #expect(plan.directiveCount == 1, "points are not directives of their own")
        #expect(plan.job(for: sweep.uses[0].lesson, anchor: "barrido")?.key == sweep.key)
        #expect(plan.jobs[0].firstLocation == sweep.uses[0].location)
    }

    @Test func changingTheEpsilonsKeepsTheOldPointsKeys() throws {
        let project = try PlanProject()
        let before = try project.plan(spanish: Self.sweepBlock(epsilons: "[1/255, 2/255]"))
        let after = try project.plan(spanish: Self.sweepBlock(epsilons: "[1/255, 2/255, 4/255]"))
        let oldPoints = Set(before.jobs.dropLast().map(\.key))
        let newPoints = Set(after.jobs.dropLast().map(\.key))
        #expect(newPoints.count == 12)
        #expect(oldPoints.isSubset(of: newPoints), "every old point keeps its key, so it comes from the cache")
        #expect(newPoints.subtracting(oldPoints).count == 4, "only the 4/255 points are new")
        #expect(before.jobs.last?.key != after.jobs.last?.key, "the sweep itself has a new key")

        // Another method adds only its own points.
        let more = try project.plan(spanish: Self.sweepBlock(
            epsilons: "[1/255, 2/255, 4/255]", methods: "[fgsm, {method: pgd, steps: 10, grid: true}, mifgsm]"))
        #expect(Set(more.jobs.filter { $0.kind == "attack" }.map(\.key)).subtracting(newPoints).count == 6)
    }

    @Test func pointsAreSharedAcrossLanguagesAndWithAttackBlocks() throws {
        let attack = """
            ```attack
            image: images/tostadora.png
            target: trilobite
            method: pgd
            epsilon: 2/255
            steps: 10
            grid: true
            ```

            """
        let plan = try PlanProject().plan(spanish: Self.sweepBlock(epsilons: "[1/255, 2/255]") + "\n" + attack,
                                          english: Self.sweepBlock(epsilons: "[2/255, 4/255]", id: "sweep"))
        let points = plan.jobs.filter { $0.kind == "attack" }
        // Spanish: 8 points (one of them is also the attack block); English adds the 4/255 ones.
        #expect(points.count == 12)
        #expect(plan.jobs.filter { $0.kind == "sweep" }.count == 2)
        let shared = points.filter { $0.partOf.count == 2 }
        #expect(shared.count == 4, "the 2/255 points serve both pages and run once")
        let withBlock = try #require(points.first { !$0.uses.isEmpty })
        #expect(withBlock.partOf.count == 2)
        #expect(withBlock.uses.count == 1)
        guard case .attack(let body) = withBlock.body else { throw TestFailure("not an attack") }
        #expect(body.image == "images/tostadora.png" && body.parameters.epsilon == 2.0 / 255)
        #expect(plan.directiveCount == 3)
    }
}
