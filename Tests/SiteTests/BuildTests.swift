import Foundation
import Lessons
import Runner
import Testing
@testable import Site

/// `trilobite build` end to end on a small fixture with the real network: pages, links, escaping,
/// inline references, the cache, and what a failed or interrupted build leaves behind.
@Suite(.serialized) struct BuildTests {
    // MARK: The site

    @Test func everyInternalLinkAndImageResolves() throws {
        let project = try WarmTemplate.project.get()
        let problems = try LinkChecker.problems(in: project.site)
        #expect(problems == [])
        let pages = SiteProject.snapshot(project.site).keys.filter { $0.hasSuffix(".html") }.sorted()
        #expect(pages == ["en/01-ataque.html", "en/01-ataque.slides.html", "es/01-ataque.html", "es/01-ataque.slides.html",
                          "es/02-comparar.html", "es/02-comparar.slides.html", "index.html"])
    }

    @Test func everyLessonHasASlideModeWithEscapedTextAndNotes() throws {
        let project = try WarmTemplate.project.get()
        let page = try project.read("es/01-ataque.html")
        #expect(page.contains("<a class=\"slides-link\" href=\"01-ataque.slides.html\">"))
        let slides = try project.read("es/01-ataque.slides.html")
        #expect(slides.contains("<html lang=\"es\">"))
        #expect(slides.contains("<title>Un ataque &lt;pequeño&gt; · Diapositivas</title>"))
        #expect(slides.contains("aria-label=\"Un ataque &lt;pequeño&gt;\""))
        #expect(slides.contains("Un gato con &lt;script&gt;alert(1)&lt;/script&gt; ruido."))
        #expect(!slides.contains("<script>alert"))
        // Two slides (the top, `## El ataque`), each labelled with its number; the notes in the speaker panel.
        #expect(slides.contains("aria-label=\"1 / 2: Un ataque &lt;pequeño&gt;\""))
        #expect(slides.contains("aria-label=\"2 / 2: El ataque\""))
        #expect(slides.contains("<p>Hablar despacio.</p>"))
        #expect(slides.contains("src=\"../assets/slides.js\""))
        #expect(try !project.read("assets/slides.js").contains("http"))
        #expect(try project.read("assets/slides.css").contains("@media print"))
    }

    @Test func aCaptionWithAScriptTagIsShownAsText() throws {
        let project = try WarmTemplate.project.get()
        let page = try project.read("es/01-ataque.html")
        #expect(page.contains("Un gato con &lt;script&gt;alert(1)&lt;/script&gt; ruido."))
        #expect(!page.contains("<script>alert"))
        // The only script elements are the theme's.
        #expect(page.components(separatedBy: "<script").count == 2)
        // Titles and summaries from the front matter are escaped too.
        let index = try project.read("index.html")
        #expect(index.contains("Un ataque &lt;pequeño&gt;"))
        #expect(index.contains("Tres pasos de PGD &amp; un gato."))
    }

    @Test func inlineReferencesAreFilledInInThePagesNumberFormat() throws {
        let project = try WarmTemplate.project.get()
        let spanish = try project.read("es/01-ataque.html")
        let english = try project.read("en/01-ataque.html")
        #expect(!spanish.contains("{{") && !english.contains("{{"))
        #expect(spanish.contains("Tras 3 pasos, p(trilobites) = "))
        #expect(english.contains("After 3 steps, p(trilobite) = "))
        // SSIM with four decimals: a decimal comma in Spanish, a point in English, same value.
        let spanishSSIM = try #require(Self.capture(#"SSIM (0,\d{4})\."#, in: spanish))
        let englishSSIM = try #require(Self.capture(#"SSIM (0\.\d{4})\."#, in: english))
        #expect(spanishSSIM.replacingOccurrences(of: ",", with: ".") == englishSSIM)
        // Probabilities as percentages with the language's sign spacing.
        #expect(spanish.range(of: "= <?\\d+,\\d+\u{00A0}%", options: .regularExpression) != nil)
        #expect(english.range(of: #"= <?\d+\.\d+%"#, options: .regularExpression) != nil)
        let second = try project.read("es/02-comparar.html")
        #expect(second.range(of: "FGSM: PSNR \\d+,\\d dB\\. En Lite2: <?\\d+,\\d+\u{00A0}%", options: .regularExpression) != nil)
    }

    @Test func figuresHaveAltTextNumberedCaptionsAndDownloads() throws {
        let project = try WarmTemplate.project.get()
        let page = try project.read("es/01-ataque.html")
        let images = page.components(separatedBy: "<img ").dropFirst()
        #expect(images.count == 5, "classify confidence + four attack figures")
        for image in images {
            let alt = try #require(Self.capture(#"alt="([^"]*)""#, in: image))
            #expect(alt.count > 20)
        }
        #expect(page.contains("<figure class=\"directive directive-attack\" id=\"pgd\">"))
        #expect(page.contains("<span class=\"figure-label\">Figura 2:</span>"))
        #expect(page.contains("<a href=\"#pgd\">Figura 2</a>"))
        #expect(page.contains("Error de la Red: "))
        #expect(page.contains("download=\"pgd-adversarial.png\""))
        #expect(page.contains("class=\"tag tag-target\">objetivo</span>"))
        let english = try project.read("en/01-ataque.html")
        #expect(english.contains("<span class=\"figure-label\">Figure 1:</span>"))
        #expect(english.contains("Top 5 classes"))
        // Slide structure for a later slide mode: one section per slide, with its title.
        #expect(page.contains("<section class=\"slide\" id=\"slide-2\" data-slide=\"2\" data-slide-title=\"El ataque\">"))
        // Speaker notes are for the speaker view only: not on the page, not even hidden.
        #expect(!page.contains("Hablar despacio"))
        #expect(!page.contains("speaker-notes"))
    }

    @Test func eachJobHasItsResultJSONBesideItsFiles() throws {
        let project = try WarmTemplate.project.get()
        let files = SiteProject.snapshot(project.site)
        let jsons = files.keys.filter { $0.hasPrefix("data/") && $0.hasSuffix(".json") }
        #expect(jsons.count == 4, "classify, attack, compare, transfer")
        for path in jsons {
            let record = try JSONDecoder().decode(DirectiveResult.self, from: try #require(files[path]))
            #expect(record.format == DirectiveResult.currentFormat)
            let key = String(path.dropFirst(5).dropLast(5))
            for attack in record.attacks {
                #expect(files["data/\(key)/\(attack.adversarialFile)"] != nil)
                #expect(attack.savedImageCheck.matchesResult)
            }
        }
        let transfer = try jsons.compactMap { try JSONDecoder().decode(DirectiveResult.self, from: files[$0] ?? Data()).transfer }
        #expect(transfer.first?.evaluations.first?.map(\.model) == ["lite0", "lite2"])
    }

    // MARK: The cache

    @Test func aSecondBuildIsAllCacheHitsAndChangesNoFile() throws {
        let project = try WarmTemplate.warmProject()
        let first = try project.build()
        #expect(first.reports.allSatisfy { !$0.ran })
        let before = SiteProject.snapshot(project.site)
        let identities = SiteProject.identities(project.site)

        let second = try project.build()
        #expect(second.reports.allSatisfy { !$0.ran })
        #expect(second.reports.allSatisfy { $0.figuresDrawn == 0 })
        #expect(second.write.nothingChanged)
        #expect(SiteProject.snapshot(project.site) == before)
        #expect(SiteProject.identities(project.site) == identities)
        // Byte for byte what the cold build of the template wrote.
        let template = try WarmTemplate.project.get()
        #expect(before == SiteProject.snapshot(template.site))
    }

    @Test func editingOneDirectiveRerunsOnlyThatDirective() throws {
        let project = try WarmTemplate.warmProject()
        try project.build()
        let identities = SiteProject.identities(project.site)

        try project.write("es/01-ataque.md", SiteProject.spanishLesson.replacingOccurrences(of: "steps: 3", with: "steps: 4"))
        let result = try project.build()
        let ran = result.reports.filter(\.ran)
        #expect(ran.count == 1)
        #expect(ran.first?.location.description == "lessons/es/01-ataque.md:24:1")
        #expect(ran.first?.kind == "attack")

        let after = SiteProject.identities(project.site)
        let changed = Set(after.keys.filter { after[$0] != identities[$0] })
        let newData = changed.filter { $0.hasPrefix("data/") }
        // The lesson page and its slide mode show the new result; no other page changed.
        #expect(changed.subtracting(newData) == ["es/01-ataque.html", "es/01-ataque.slides.html"])
        // The new job's JSON, PNGs and Spanish figures; nothing else under data/ was touched.
        #expect(newData.allSatisfy { identities[$0] == nil })
        #expect(newData.contains { $0.hasSuffix(".json") })
        #expect(try project.read("es/01-ataque.html").contains("Tras 4 pasos"))
        // The English page keeps the old directive, and so the old result.
        #expect(try project.read("en/01-ataque.html").contains("After 3 steps"))
    }

    @Test func aCorruptedCacheEntryIsComputedAgain() throws {
        let project = try WarmTemplate.warmProject()
        let entries = try FileManager.default.contentsOfDirectory(atPath: project.cache).filter { $0.count == 64 }
        // Damage the result of every job: the first byte of each result.json.
        var damaged = 0
        for entry in entries {
            let path = project.cache + "/" + entry + "/result.json"
            guard var bytes = FileManager.default.contents(atPath: path).map([UInt8].init) else { continue }
            bytes[0] ^= 0x20
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            damaged += 1
        }
        #expect(damaged == 4)
        let result = try project.build()
        #expect(result.reports.filter(\.ran).count == 4)
        #expect(try LinkChecker.problems(in: project.site) == [])
        #expect(try project.build().reports.allSatisfy { !$0.ran })
    }

    // MARK: Failures leave everything as it was

    @Test func validationErrorsStopTheBuildBeforeAnythingRunsOrIsWritten() throws {
        let project = try WarmTemplate.warmProject()
        try project.build()
        let site = SiteProject.identities(project.site)
        let siteBytes = SiteProject.snapshot(project.site)
        let cache = SiteProject.identities(project.cache)

        try project.write("es/02-comparar.md", SiteProject.spanishSecondLesson
            .replacingOccurrences(of: "{{comparacion.fgsm.psnr}}", with: "{{comparacion.fgsm.psrn}}")
            .replacingOccurrences(of: "caption: De Lite0 a Lite2.", with: "captoin: De Lite0 a Lite2."))
        try project.write("es/03-nueva.md", "---\ntitle: Nueva\norder: 3\nsummary: x\n---\n\n{{pgd.steps}}\n\n"
            + "```attack\nimage: images/chelsea.png\nmethod: pgd\nepsilon: 2/255\nsteps: 9\n```\n")
        do {
            try project.build()
            Issue.record("the build should have failed")
        } catch BuildError.invalidLessons(let diagnostics) {
            let errors = diagnostics.filter { $0.severity == .error }.map(\.description)
            #expect(errors.count == 3)
            #expect(errors.contains { $0.hasPrefix("lessons/es/02-comparar.md:7:12: error: unknown field 'psrn' in "
                + "{{comparacion.fgsm.psrn}}; did you mean 'psnr'?") })
            #expect(errors.contains { $0.hasPrefix("lessons/es/02-comparar.md:23:1: error: unknown key 'captoin'") })
            #expect(errors.contains { $0.hasPrefix("lessons/es/03-nueva.md:7:1: error: {{pgd.steps}} names no directive "
                + "on this page") })
        }
        #expect(SiteProject.identities(project.site) == site)
        #expect(SiteProject.snapshot(project.site) == siteBytes)
        #expect(SiteProject.identities(project.cache) == cache)
    }

    @Test func aWriterThatDiesHalfwayLeavesThePreviousSiteWhole() throws {
        let project = try WarmTemplate.warmProject()
        try project.build()
        let before = SiteProject.snapshot(project.site)
        try project.write("en/01-ataque.md", SiteProject.englishLesson.replacingOccurrences(of: "After", with: "Once"))

        struct Crash: Error {}
        var written = 0
        let total = before.count
        do {
            try project.build { _ in
                written += 1
                if written == total / 2 { throw Crash() }
            }
            Issue.record("the build should have failed")
        } catch BuildError.site(let message) {
            #expect(message.contains("stopped"))
        }
        #expect(SiteProject.snapshot(project.site) == before)
        #expect(project.baseEntries.allSatisfy { !$0.contains(".site.building-") })
        // And the next build goes through.
        try project.build()
        #expect(try project.read("en/01-ataque.html").contains("Once 3 steps"))
    }

    @Test func leftoversOfAKilledBuildAreCleanedUpAtTheNextStart() throws {
        let project = try WarmTemplate.warmProject()
        try project.build()
        // A killed writer's temporary folder (its process, 2^22 − 1, cannot exist), a killed
        // store's and a killed runner's scratch folder.
        let deadPID = 4_194_303
        let building = project.base + "/.site.building-\(deadPID)-x"
        let storing = project.cache + "/.tmp-0123456789ab-\(deadPID)-x"
        let scratch = project.cache + "/.tmp-work-\(deadPID)-0-x"
        for folder in [building, storing, scratch] {
            try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        }
        try project.build()
        for folder in [building, storing, scratch] {
            #expect(!FileManager.default.fileExists(atPath: folder), "\(folder) is still there")
        }
    }

    @Test func aSiteMovedAsideByAKilledSwapIsPutBack() throws {
        let project = try WarmTemplate.warmProject()
        try project.build()
        let before = SiteProject.snapshot(project.site)
        // Killed between "old site aside" and "new site in".
        let aside = project.base + "/.site.previous-4194303-x"
        #expect(rename(project.site, aside) == 0)
        let notes = SiteWriter(output: project.site).recover()
        #expect(notes.count == 1)
        #expect(SiteProject.snapshot(project.site) == before)
        #expect(!FileManager.default.fileExists(atPath: aside))
    }

    @Test func aFolderThatIsNotASiteIsNeverReplaced() throws {
        let project = try WarmTemplate.warmProject()
        try FileManager.default.createDirectory(atPath: project.site, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: project.site + "/notes.txt"))
        do {
            try project.build()
            Issue.record("the build should have refused the folder")
        } catch BuildError.site(let message) {
            #expect(message.contains("was not written by trilobite build"))
        }
        #expect(FileManager.default.contents(atPath: project.site + "/notes.txt") == Data("mine".utf8))
    }

    // MARK: Helpers

    static func capture(_ pattern: String, in text: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
              let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}

/// Finds every `href` and `src` of the site's pages that points to a missing file or anchor.
enum LinkChecker {
    static func problems(in site: String) throws -> [String] {
        let files = SiteProject.snapshot(site)
        var ids: [String: Set<String>] = [:]
        let idPattern = try NSRegularExpression(pattern: #"\sid="([^"]+)""#)
        let linkPattern = try NSRegularExpression(pattern: #"\s(?:href|src)="([^"]*)""#)
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            ids[path] = Set(idPattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
                Range($0.range(at: 1), in: html).map { String(html[$0]) }
            })
        }
        var problems: [String] = []
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            let folder = (path as NSString).deletingLastPathComponent
            for match in linkPattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                guard let range = Range(match.range(at: 1), in: html) else { continue }
                let link = String(html[range]).replacingOccurrences(of: "&amp;", with: "&")
                if link.hasPrefix("data:") { continue }
                if link.hasPrefix("http:") || link.hasPrefix("https:") || link.hasPrefix("mailto:") {
                    problems.append("\(path): external link \(link)")
                    continue
                }
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let target: String
                if parts[0].isEmpty {
                    target = path
                } else {
                    let decoded = parts[0].removingPercentEncoding ?? parts[0]
                    target = normalized(folder.isEmpty ? decoded : folder + "/" + decoded)
                }
                guard files[target] != nil else {
                    problems.append("\(path): \(link) → missing \(target)")
                    continue
                }
                if parts.count == 2, !parts[1].isEmpty, ids[target]?.contains(parts[1]) != true {
                    problems.append("\(path): \(link) → no id '\(parts[1])' in \(target)")
                }
            }
        }
        return problems.sorted()
    }

    /// `es/../assets/x.css` → `assets/x.css`; a path that climbs out of the site keeps its `..`
    /// and so matches no file.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
