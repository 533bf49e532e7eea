import Foundation
import Testing
@testable import Runner

/// The figure benchmark redraws the results a built site publishes; these tests check what it
/// counts, not how fast it is (timings belong to release benchmarks, not to tests).
@Suite(.serialized) struct FigureBenchmarkTests {
    @Test func everyFigureOfEveryCachedResultIsRedrawnInBothLanguages() throws {
        let project = try DirectiveRunnerTests.project()
        let lessons = try project.loadLessons()
        let outcome = try project.runner().run(try project.plan(lessons), lessons: lessons)
        #expect(outcome.failures.isEmpty)

        // The site's data folder as the Site module writes it: data/<key>.json and data/<key>/*.png.
        let site = project.base + "/site"
        for (key, output) in outcome.outputs {
            let folder = site + "/data/" + key.hex
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(try DirectiveRunner.encode(output.record)).write(to: URL(fileURLWithPath: folder + ".json"))
            for (name, bytes) in output.files where name.hasSuffix(".png") {
                try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
            }
        }

        let report = try FigureBenchmark.run(siteFolder: site, iterations: 1)
        #expect(report.results == 2, "the attack and the classification")
        let kinds = Dictionary(uniqueKeysWithValues: report.kinds.map { ($0.name, $0) })
        for name in FigureDrawing.attackFigureNames {
            let kind = try #require(kinds[name], "no timing for the attack's \(name) figure")
            if name != "confidence" { #expect(kind.samples == 2, "\(name): one attack in English and in Spanish") }
            #expect(kind.medianMilliseconds > 0 && kind.slowestMilliseconds >= kind.medianMilliseconds)
            #expect(kind.largestWidth > 0 && kind.largestHeight > 0)
        }
        // The attack's figures plus the classification's confidence chart, twice.
        #expect(kinds["confidence"]?.samples == 4)
        #expect(kinds["grid"] == nil, "a transfer grid needs a transfer result")
        #expect(report.attackSets == 2)
        let attackSet = try #require(report.attackSetMedianMilliseconds)
        let smallestPart = FigureDrawing.attackFigureNames.compactMap { kinds[$0]?.medianMilliseconds }.min() ?? 0
        #expect(attackSet > smallestPart, "a set is the sum of its five figures")
    }

    @Test func aFolderWithoutResultsSaysToBuildFirst() throws {
        let project = try RunnerProject()
        do {
            _ = try FigureBenchmark.run(siteFolder: project.base)
            Issue.record("benchmarked a folder that holds no site")
        } catch {
            #expect(error.description.contains(project.base))
            #expect(error.description.contains("trilobite build"))
        }
    }
}
