import Foundation
import Lessons
import Testing
@testable import Site

/// The `trilobite build` command as a separate process: its exit status, and what a SIGKILL in
/// the middle of a build leaves behind.
@Suite(.serialized, .enabled(if: ProjectPaths.executable != nil, "the trilobite executable is built beside the tests"))
struct ProcessTests {
    static func launch(_ project: SiteProject) throws -> (process: Process, errors: Pipe, output: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ProjectPaths.executable))
        process.arguments = ["build", "--lessons", project.lessons, "--out", project.site, "--cache", project.cache,
                             "--weights", ProjectPaths.weights, "--jobs", "2"]
        let errors = Pipe()
        let output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        try process.run()
        return (process, errors, output)
    }

    @Test func invalidLessonsExitWithOneAndPrintEveryErrorWithItsPosition() throws {
        let project = try WarmTemplate.warmProject()
        try project.build()
        let site = SiteProject.identities(project.site)
        let cache = SiteProject.identities(project.cache)
        try project.write("en/01-ataque.md", SiteProject.englishLesson
            .replacingOccurrences(of: "{{pgd.steps}}", with: "{{pgd.stesp}}")
            .replacingOccurrences(of: "target: trilobite", with: "target: trilobyte"))

        let (process, errors, _) = try Self.launch(project)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let lines = stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(project.lessons + "/en/01-ataque.md:7:7: error: unknown field 'stesp'") })
        #expect(lines.contains { $0.hasPrefix(project.lessons + "/en/01-ataque.md:11:9: error: unknown class 'trilobyte'") })
        #expect(lines.last?.contains("nothing was run") == true)
        #expect(SiteProject.identities(project.site) == site)
        #expect(SiteProject.identities(project.cache) == cache)
    }

    @Test func killingTheBuildLeavesThePreviousSiteAndAWholeCache() throws {
        let project = try WarmTemplate.warmProject()
        try project.build()
        let before = SiteProject.snapshot(project.site)
        // A long attack, so that the kill lands while it runs.
        try project.write("es/01-ataque.md", SiteProject.spanishLesson.replacingOccurrences(of: "steps: 3", with: "steps: 400"))

        let (process, _, _) = try Self.launch(project)
        let started = Date()
        var running = false
        while Date().timeIntervalSince(started) < 60, process.isRunning {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: project.cache)) ?? []
            if names.contains(where: { $0.hasPrefix(".tmp-work-") }) {
                running = true
                break
            }
            usleep(20_000)
        }
        #expect(running, "the build never started computing")
        usleep(300_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        // The previous site, byte for byte.
        #expect(SiteProject.snapshot(project.site) == before)
        // Every cache entry under its key is complete and verifies (none is half-written).
        let cache = ResultCache(folder: project.cache)
        let keys = try FileManager.default.contentsOfDirectory(atPath: project.cache).compactMap(CacheKey.init(hex:))
        #expect(!keys.isEmpty)
        for key in keys {
            #expect(cache.lookup(key) != nil, "entry \(key.short) does not verify")
        }

        // The next build cleans up after the killed one and succeeds.
        try project.write("es/01-ataque.md", SiteProject.spanishLesson.replacingOccurrences(of: "steps: 3", with: "steps: 4"))
        let result = try project.build()
        #expect(result.reports.filter(\.ran).count == 1)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.cache).filter { $0.hasPrefix(".tmp-") }
        #expect(leftovers == [])
        #expect(project.baseEntries.allSatisfy { !$0.hasPrefix(".site.") })
        #expect(try LinkChecker.problems(in: project.site) == [])
    }
}
