import Figures
import Foundation
import Lessons
import Runner

/// Every file of the site, in memory, by path relative to the site folder (`es/01-intro.html`).
public typealias SiteFiles = [String: [UInt8]]

/// A lesson page that could not be made.
public struct SiteRenderError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Turns lessons and their results into the site's files:
///
/// ```
/// index.html                     table of contents of every language, language switch
/// <lang>/<slug>.html             one page per lesson and language
/// <lang>/<slug>.slides.html      its slide mode (`#/3` is slide 3; `?speaker` the speaker view)
/// assets/theme.css, site.js      the theme (no fonts, no external requests)
/// assets/slides.css, slides.js   the slide mode (see ``SlideAssets``)
/// data/<key>.json                each job's result record
/// data/<key>/*.png               its original crop, adversarial PNGs and figures (<name>.<lang>.png)
/// ```
///
/// Pages keep the lesson's slide structure: each slide is a `<section class="slide">` with its
/// number and title, so a later slide mode can show the same sections one at a time.
/// The output is a pure function of its inputs: the same lessons and results give the same bytes.
public struct SitePages {
    public let lessons: LessonSet
    public let plan: RunPlan
    public let outputs: [CacheKey: JobOutput]

    public init(lessons: LessonSet, plan: RunPlan, outputs: [CacheKey: JobOutput]) {
        self.lessons = lessons
        self.plan = plan
        self.outputs = outputs
    }

    /// The marker file that says a folder is a site written by trilobite (and so may be replaced).
    public static let markerFile = ".trilobite-site"

    /// The site's languages, the talk's own (Spanish) first.
    var languages: [String] {
        lessons.languages.sorted { left, right in
            if left == "es" || right == "es" { return left == "es" }
            return left < right
        }
    }

    /// Every file of the site.
    public func files() throws(SiteRenderError) -> SiteFiles {
        var files: SiteFiles = [:]
        files[Self.markerFile] = Array("This folder is written by `trilobite build`; it is replaced as a whole.\n".utf8)
        files["assets/theme.css"] = PackageResources.theme_css
        files["assets/site.js"] = PackageResources.site_js
        files["assets/slides.css"] = Array(SlideAssets.css.utf8)
        files["assets/slides.js"] = Array(SlideAssets.javascript.utf8)
        files["index.html"] = Array(indexPage().utf8)
        for lesson in lessons.lessons {
            files["\(lesson.id.language)/\(lesson.id.slug).html"] = Array(try lessonPage(lesson).utf8)
            if lesson.slidesEnabled {
                files["\(lesson.id.language)/\(lesson.id.slug).slides.html"] = Array(try slidesPage(lesson).utf8)
            }
        }
        for job in plan.jobs {
            guard let output = outputs[job.key] else { continue }
            // A point that only a sweep shows publishes its result and its adversarial PNG (the
            // sweep's table links to it); its copy of the original crop would be linked from nowhere.
            let onlyAPart = job.uses.isEmpty && !job.partOf.isEmpty
            for (name, bytes) in output.files where !(onlyAPart && name == "original.png") {
                if name == "result.json" {
                    files["data/\(job.key.hex).json"] = bytes
                } else {
                    files[DirectiveHTML.dataPath(job.key, name)] = bytes
                }
            }
            for (request, figure) in output.figures {
                files[DirectiveHTML.dataPath(job.key, DirectiveHTML.figureFile(request))] = figure.png
            }
        }
        return files
    }

    // MARK: Index

    func indexPage() -> String {
        let primary = languages.first ?? "en"
        let words = SiteWords(lessonLanguage: primary)
        var html = HTMLWriter()
        html.raw(head(language: primary, title: words.siteTitle + ": " + words.siteSubtitle, rootPath: "",
                      alternates: []))
        html.line("<body class=\"page-index\">")
        html.line(header(words: words, rootPath: "", home: "index.html",
                         switchLinks: languages.map { ($0, "#" + $0, false) }))
        html.line("<main id=\"content\" class=\"index-main\">")
        html.line("<section class=\"hero\"><h1>\(HTML.text(words.siteTitle))</h1>")
        html.line("<p>\(HTML.text(words.siteSubtitle)). \(HTML.text(words.indexIntroduction))</p></section>")
        html.line("<div class=\"toc-languages\">")
        for language in languages {
            let languageWords = SiteWords(lessonLanguage: language)
            html.line("<section class=\"toc-language\" id=\"\(HTML.attribute(language))\" lang=\"\(HTML.attribute(language))\">")
            html.line("<h2>\(HTML.text(languageWords.languageName)) · \(HTML.text(languageWords.siteTitle))</h2>")
            html.line("<ol class=\"lesson-list\">")
            for lesson in lessons.lessons(in: language) {
                html.line("<li><a href=\"\(HTML.attribute(Self.pagePath(lesson.id)))\">\(HTML.text(lesson.title))</a>"
                    + (lesson.summary.isEmpty ? "" : "<p>\(HTML.text(lesson.summary))</p>") + "</li>")
            }
            html.line("</ol>")
            html.line("</section>")
        }
        html.line("</div>")
        html.line("</main>")
        html.line(footer(words: words))
        html.line("</body>")
        html.line("</html>")
        return html.output
    }

    // MARK: Lesson pages

    /// The path of a lesson page from the site root, percent-encoded for links.
    static func pagePath(_ id: LessonID) -> String {
        HTML.pathSegment(id.language) + "/" + HTML.pathSegment(id.slug) + ".html"
    }

    func lessonPage(_ lesson: Lesson) throws(SiteRenderError) -> String {
        let words = SiteWords(lessonLanguage: lesson.id.language)
        let rootPath = "../"
        let values = try resultValues(for: lesson, language: words.language)
        let translations = lessons.translations(of: lesson.id)
        var switchLinks: [(String, String, Bool)] = []
        for language in languages {
            if language == lesson.id.language {
                switchLinks.append((language, HTML.pathSegment(lesson.id.slug) + ".html", true))
            } else if let translation = translations.first(where: { $0.id.language == language }) {
                switchLinks.append((language, rootPath + Self.pagePath(translation.id), false))
            }
        }
        var html = HTMLWriter()
        html.raw(head(language: lesson.id.language, title: lesson.title + " · " + words.siteTitle, rootPath: rootPath,
                      alternates: translations.map { ($0.id.language, rootPath + Self.pagePath($0.id)) }))
        html.line("<body class=\"page-lesson\">")
        html.line(header(words: words, rootPath: rootPath, home: rootPath + "index.html#" + lesson.id.language,
                         switchLinks: switchLinks))
        html.line("<main id=\"content\" class=\"lesson\" data-lesson=\"\(HTML.attribute(lesson.id.slug))\" "
            + "data-slides=\"\(lesson.slidesEnabled ? "true" : "false")\">")
        html.line("<article>")
        let ordered = lessons.lessons(in: lesson.id.language)
        let position = (ordered.firstIndex { $0.id == lesson.id } ?? 0) + 1
        html.line("<header class=\"lesson-header\">")
        html.line("<p class=\"lesson-kicker\">\(HTML.text(words.lessonKicker)) \(position)</p>")
        // A body that opens with its own level-1 heading already has the page's title.
        if lesson.headings.first?.level != 1 {
            html.line("<h1>\(HTML.text(lesson.title))</h1>")
        }
        if !lesson.summary.isEmpty, lesson.headings.first?.level != 1 {
            html.line("<p class=\"lesson-summary\">\(HTML.text(lesson.summary))</p>")
        }
        if lesson.slidesEnabled {
            html.line("<p class=\"lesson-actions\"><a class=\"slides-link\" href=\"\(HTML.attribute(Self.slidesFile(lesson.id)))\">"
                + "<span aria-hidden=\"true\">▶ </span>\(HTML.text(words.slidesLink))</a></p>")
        }
        html.line("</header>")
        let contents = pageTableOfContents(lesson, words: words)
        // Under the page's title: the header's, or the body's own first heading.
        let bodyHasTitle = lesson.headings.first?.level == 1
        if !bodyHasTitle { html.raw(contents) }
        html.raw(try body(lesson, words: words, values: values, rootPath: rootPath,
                          contentsAfterTitle: bodyHasTitle ? contents : ""))
        // Speaker notes (the front matter's and each slide's) are not on the lesson page at all,
        // not even hidden: a screen reader would read hidden text that sighted readers never see.
        html.line("</article>")
        html.raw(pager(lesson, ordered: ordered, words: words))
        html.line("</main>")
        html.line(footer(words: words))
        html.line("</body>")
        html.line("</html>")
        return html.output
    }

    /// The parts of the lesson, each slide in its own section.
    /// `contentsAfterTitle` goes right after the body's first `<h1>`.
    func body(_ lesson: Lesson, words: SiteWords, values: [String: String], rootPath: String,
                      contentsAfterTitle: String) throws(SiteRenderError) -> String {
        var html = HTMLWriter()
        var pendingContents = contentsAfterTitle
        // A lesson without slides (an empty body) still gets one section.
        let slides: [(title: String?, parts: Range<Int>)] = lesson.slides.isEmpty
            ? [(nil, 0..<lesson.parts.count)] : lesson.slides.map { ($0.title, $0.parts) }
        for (number, slide) in slides.enumerated() {
            var attributes = "class=\"slide\" id=\"slide-\(number + 1)\" data-slide=\"\(number + 1)\""
            if let title = slide.title { attributes += " data-slide-title=\"\(HTML.attribute(title))\"" }
            html.line("<section \(attributes)>")
            for index in slide.parts where lesson.parts.indices.contains(index) {
                switch lesson.parts[index] {
                case .prose(let chunk):
                    var prose = Self.wrapTables(chunk.html(resultValues: values, headingSelfLinks: true))
                    // Lesson HTML is escaped, so the only `</h1>` is a heading's.
                    if !pendingContents.isEmpty, let end = prose.range(of: "</h1>\n") {
                        prose.insert(contentsOf: pendingContents, at: end.upperBound)
                        pendingContents = ""
                    }
                    html.raw(prose)
                case .directive(let directive):
                    html.raw(try directiveHTML(directive, in: lesson, words: words, values: values, rootPath: rootPath))
                }
            }
            html.line("</section>")
        }
        return pendingContents + html.output
    }

    /// Each table of a prose chunk in a `<div class="table-wrap">`, which scrolls sideways on a
    /// narrow screen (a table itself cannot) so that the page never gets wider than the window.
    /// Lesson HTML is escaped, so the only `<table>` tags are cmark's.
    static func wrapTables(_ html: String) -> String {
        guard html.contains("<table>") else { return html }
        return html.replacingOccurrences(of: "<table>", with: "<div class=\"table-wrap\"><table>")
            .replacingOccurrences(of: "</table>", with: "</table></div>")
    }

    private func directiveHTML(_ directive: Directive, in lesson: Lesson, words: SiteWords, values: [String: String],
                               rootPath: String) throws(SiteRenderError) -> String {
        guard let job = plan.job(for: lesson.id, anchor: directive.anchor), let output = outputs[job.key] else {
            throw SiteRenderError(description: "\(directive.location): error: the \(directive.kind) block has no result "
                + "to show (its computation failed or was not run)")
        }
        return DirectiveHTML(directive: directive, lesson: lesson, job: job, output: output, words: words,
                             figureLanguage: words.language.code, resultValues: values, rootPath: rootPath).html()
    }

    /// The formatted value of every `{{…}}` of the lesson, keyed by its text.
    func resultValues(for lesson: Lesson, language: FigureLanguage) throws(SiteRenderError) -> [String: String] {
        var values: [String: String] = [:]
        for reference in lesson.resultReferences where values[reference.text] == nil {
            guard let directive = lesson.directives.first(where: { $0.presentation.id == reference.directiveID }),
                  let job = plan.job(for: lesson.id, anchor: directive.anchor), let output = outputs[job.key] else {
                throw SiteRenderError(description: "\(reference.location): error: {{\(reference.text)}} refers to a "
                    + "directive without a result")
            }
            values[reference.text] = output.record.value(reference.row, reference.field)?.formatted(language) ?? "–"
        }
        return values
    }

    private func pageTableOfContents(_ lesson: Lesson, words: SiteWords) -> String {
        let entries = lesson.headings.filter { $0.level == 2 || $0.level == 3 }
        guard entries.count >= 2 else { return "" }
        var html = "<nav class=\"page-toc\" aria-label=\"\(HTML.attribute(words.inThisLesson))\"><details open>"
            + "<summary>\(HTML.text(words.inThisLesson))</summary><ol>\n"
        for heading in entries {
            html += "<li class=\"toc-level-\(heading.level)\"><a href=\"#\(HTML.attribute(heading.anchor))\">"
                + "\(HTML.text(heading.text))</a></li>\n"
        }
        return html + "</ol></details></nav>\n"
    }

    private func pager(_ lesson: Lesson, ordered: [Lesson], words: SiteWords) -> String {
        guard let index = ordered.firstIndex(where: { $0.id == lesson.id }) else { return "" }
        var html = "<nav class=\"pager\" aria-label=\"\(HTML.attribute(words.contents))\">"
        if index > 0 {
            let previous = ordered[index - 1]
            html += "<a class=\"pager-previous\" rel=\"prev\" href=\"\(HTML.attribute(HTML.pathSegment(previous.id.slug))).html\">"
                + "<small>← \(HTML.text(words.previous))</small>\(HTML.text(previous.title))</a>"
        }
        if index + 1 < ordered.count {
            let next = ordered[index + 1]
            html += "<a class=\"pager-next\" rel=\"next\" href=\"\(HTML.attribute(HTML.pathSegment(next.id.slug))).html\">"
                + "<small>\(HTML.text(words.next)) →</small>\(HTML.text(next.title))</a>"
        }
        return html + "</nav>\n"
    }

    // MARK: Shared parts

    func head(language: String, title: String, rootPath: String, alternates: [(String, String)]) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"\(HTML.attribute(language))\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        html += "<meta name=\"generator\" content=\"trilobite\">\n"
        // No favicon file: an empty icon keeps browsers from asking for /favicon.ico.
        html += "<link rel=\"icon\" href=\"data:,\">\n"
        html += "<title>\(HTML.text(title))</title>\n"
        html += "<link rel=\"stylesheet\" href=\"\(rootPath)assets/theme.css\">\n"
        for (alternateLanguage, href) in alternates {
            html += "<link rel=\"alternate\" hreflang=\"\(HTML.attribute(alternateLanguage))\" href=\"\(HTML.attribute(href))\">\n"
        }
        html += "<script src=\"\(rootPath)assets/site.js\" defer></script>\n</head>\n"
        return html
    }

    /// The sticky header: site title, language switch (`(language, href, isCurrent)`), theme button.
    private func header(words: SiteWords, rootPath: String, home: String, switchLinks: [(String, String, Bool)]) -> String {
        var html = "<a class=\"skip-link\" href=\"#content\">\(HTML.text(words.skipToContent))</a>\n"
        html += "<header class=\"site-header\">\n"
        html += "<a class=\"site-title\" href=\"\(HTML.attribute(home))\"><span class=\"site-mark\" aria-hidden=\"true\">◈</span>"
            + "\(HTML.text(words.siteTitle))</a>\n"
        if switchLinks.count > 1 {
            html += "<nav class=\"language-switch\" aria-label=\"\(HTML.attribute(words.languageNavigation))\">"
            for (language, href, current) in switchLinks {
                let name = SiteWords(lessonLanguage: language).languageName
                html += "<a href=\"\(HTML.attribute(href))\" hreflang=\"\(HTML.attribute(language))\" "
                    + "lang=\"\(HTML.attribute(language))\" title=\"\(HTML.attribute(name))\""
                    + (current ? " aria-current=\"page\"" : "") + ">\(HTML.text(language.uppercased()))</a>"
            }
            html += "</nav>\n"
        }
        html += "<button class=\"theme-toggle\" type=\"button\" hidden data-label-auto=\"\(HTML.attribute(words.themeAuto))\" "
            + "data-label-light=\"\(HTML.attribute(words.themeLight))\" data-label-dark=\"\(HTML.attribute(words.themeDark))\">"
            + "\(HTML.text(words.themeAuto))</button>\n"
        html += "</header>"
        return html
    }

    private func footer(words: SiteWords) -> String {
        "<footer class=\"site-footer\"><p>\(HTML.text(words.footer))</p></footer>"
    }
}
