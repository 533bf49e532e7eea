import Foundation
import Testing
@testable import Lessons

/// A warm rebuild (nothing changed) must not rehash the weights and must stay well under half a
/// second for about twenty directives: reading the lessons, planning, and finding every result.
@Suite struct WarmRebuildTests {
    @Test func warmRebuildOfTwentyDirectivesIsFastAndRehashesNothing() throws {
        let project = try RunPlanTests.Project()
        // Weights of the real sizes (19 and 25 MB).
        try project.write("Weights/lite0.safetensors", Array(repeating: 3, count: 18_799_024))
        try project.write("Weights/lite2.safetensors", Array(repeating: 5, count: 24_630_696))
        for (language, firstStep) in [("es", 1), ("en", 11)] {
            var body = "\n"
            for step in firstStep..<(firstStep + 10) {
                body += "```attack\nimage: images/gato.png\ntarget: trilobite\nmethod: bim\nepsilon: 2/255\n"
                    + "steps: \(step)\ncaption: Paso \(step).\nid: bim-\(step)\n```\n\nTexto de @bim-\(step).\n\n"
            }
            body += "```classify\nimage: images/tostadora.png\nmodel: lite2\n```\n"
            try project.lessons.write("\(language)/01-ataques.md", Fixtures.lesson(body))
        }
        // Files written a second ago are deliberately not memoised; age them as a real
        // checkout's files would be.
        try age(folder: project.lessons.base)

        // Cold build: hash everything, store every result.
        let cache = project.cache
        let coldDigester = FileDigester(indexFile: cache.digestIndexFile)
        let coldPlan = try project.plan(digester: coldDigester)
        try coldDigester.save()
        #expect(coldPlan.jobs.count == 21)
        #expect(coldDigester.filesHashed == 5)
        for job in coldPlan.jobs {
            try cache.store(job.key, files: ["adversarial.png": Array(repeating: 1, count: 150_000),
                                             "noise.png": Array(repeating: 2, count: 150_000),
                                             "result.json": Array("{\"key\": \"\(job.key)\"}".utf8)])
        }

        // Warm build: a new process would start from the index on disk.
        let clock = ContinuousClock()
        var warmDigester = FileDigester(indexFile: nil)
        var hits = 0
        let elapsed = try clock.measure {
            warmDigester = FileDigester(indexFile: cache.digestIndexFile)
            let plan = try project.plan(digester: warmDigester)
            hits = plan.jobs.filter { cache.lookup($0.key) != nil }.count
        }
        #expect(hits == 21)
        #expect(warmDigester.filesHashed == 0)
        #expect(elapsed < .milliseconds(500), "warm rebuild took \(elapsed)")
        print("warm rebuild of \(hits) jobs: \(elapsed)")
    }

    private func age(folder: String) throws {
        let old = Date(timeIntervalSinceNow: -3600)
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder + "/" + relative)
        }
    }
}
