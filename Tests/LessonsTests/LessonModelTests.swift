import Foundation
import Testing
@testable import Lessons

/// The model the site renders: parts, headings, slides, figure numbers, cross-references, HTML.
@Suite struct LessonModelTests {
    static func loadFixtures() throws -> LessonSet {
        let context = DirectiveContext(lessonsRoot: try Fixtures.lessonsRoot, resolveClass: FakeClasses.resolve)
        let result = LessonLoader.load(context: context, displayRoot: "lessons")
        #expect(result.diagnostics.map(\.description) == [])
        return try #require(result.lessons)
    }

    static func prose(_ part: LessonPart) -> ProseChunk? {
        if case .prose(let chunk) = part { return chunk }
        return nil
    }

    static func directive(_ part: LessonPart) -> Directive? {
        if case .directive(let directive) = part { return directive }
        return nil
    }

    @Test func fixtureLessonsLoadInBothLanguages() throws {
        let set = try Self.loadFixtures()
        #expect(set.languages == ["en", "es"])
        let spanish = try #require(set.lesson(LessonID(language: "es", slug: "01-introduccion")))
        #expect(spanish.title == "Introducción")
        #expect(spanish.order == 1)
        #expect(spanish.notes == "Empezar con la foto del gato.")
        #expect(spanish.slidesEnabled)
        #expect(set.translations(of: spanish.id).map(\.id) == [LessonID(language: "en", slug: "01-introduccion")])
    }

    @Test func bodyIsSplitIntoProseAndDirectivesInOrder() throws {
        let lesson = try #require(try Self.loadFixtures().lesson(LessonID(language: "es", slug: "01-introduccion")))
        let shape = lesson.parts.map { part -> String in
            switch part {
            case .prose(let chunk): return "prose@\(chunk.startLine)"
            case .directive(let directive): return "\(directive.kind)@\(directive.location.line)"
            }
        }
        #expect(shape == ["prose@8", "prose@13", "classify@20", "prose@30", "attack@32", "prose@43", "prose@45",
                          "compare@47"])
        let attack = try #require(Self.directive(lesson.parts[4]))
        guard case .attack(let body) = attack.body else {
            Issue.record("expected an attack")
            return
        }
        #expect(body.image == "images/gato.png")
        #expect(body.model == "lite0")
        #expect(body.target == ClassTarget(index: 69, written: "trilobite"))
        #expect(body.parameters.method == "talk")
        #expect(body.parameters.steps == 200)
        #expect(body.parameters.goal == 0.95)
        #expect(body.parameters.isUnbounded)
        #expect(attack.presentation.show == ["comparison", "noise", "confidence", "progress", "log"])
    }

    @Test func headingAnchorsFoldAccentsAndAreUnique() throws {
        let lesson = try #require(try Self.loadFixtures().lesson(LessonID(language: "es", slug: "01-introduccion")))
        #expect(lesson.headings.map(\.anchor) == ["introduccion", "caracteristicas",
                                                  "ataque-1-percibiendo-las-modificaciones", "caracteristicas-2"])
        #expect(lesson.headings.map(\.level) == [1, 2, 2, 2])
        let chunk = try #require(Self.prose(lesson.parts[1]))
        #expect(chunk.html().hasPrefix("<h2 id=\"caracteristicas\">Características</h2>"))
        #expect(chunk.html().contains("<table>"))
        #expect(Slug.make("¿Qué es un Ataque Adversario?", fallback: "x") == "que-es-un-ataque-adversario")
        #expect(Slug.make("Año Ñandú — über", fallback: "x") == "ano-nandu-uber")
        #expect(Slug.make("!!!", fallback: "seccion") == "seccion")
    }

    @Test func figuresAreNumberedPerPageAndReferencesResolve() throws {
        let set = try Self.loadFixtures()
        let lesson = try #require(set.lesson(LessonID(language: "es", slug: "01-introduccion")))
        let directives = lesson.directives
        #expect(directives.map(\.figureNumber) == [1, 2, nil])
        #expect(directives.map(\.anchor) == ["clasificacion", "ataque-1", "compare-1"])
        #expect(lesson.figureLabel(2) == "Figura 2")
        let english = try #require(set.lesson(LessonID(language: "en", slug: "01-introduccion")))
        #expect(english.figureLabel(2) == "Figure 2")

        let target = try #require(set.crossReferences.resolve("ataque-1", from: lesson.id))
        #expect(target.figureNumber == 2)
        #expect(target.anchor == "ataque-1")
        #expect(target.lesson == lesson.id)

        let intro = try #require(Self.prose(lesson.parts[0])).html()
        #expect(intro.contains("<h1 id=\"introduccion\">Introducción</h1>"))
        #expect(intro.contains("(ver <a href=\"#ataque-1\">Figura 2</a>)"))
        #expect(intro.contains("autora@example.com"))
        let compare = try #require(Self.prose(lesson.parts[5])).html()
        #expect(compare == "<p>Compara <a href=\"#ataque-1\">Figura 2</a> con <a href=\"#clasificacion\">Figura 1</a>: "
            + "el código <code>@ataque-1</code> no es una referencia.</p>\n")
    }

    @Test func referencesToAnotherLessonOfTheSameLanguageLinkToItsPage() throws {
        let folder = try LessonFolder()
        try folder.write("es/01-uno.md", Fixtures.lesson("\n```classify\nimage: images/gato.png\ncaption: Gato.\n"
            + "id: gato\n```\n", title: "Uno", order: 1))
        try folder.write("es/02-dos.md", Fixtures.lesson("\nComo en @gato.\n", title: "Dos", order: 2))
        let set = try #require(folder.load().lessons)
        let second = try #require(set.lesson(LessonID(language: "es", slug: "02-dos")))
        let html = try #require(Self.prose(second.parts[0])).html()
        #expect(html == "<p>Como en <a href=\"01-uno.html#gato\">Figura 1</a>.</p>\n")
    }

    @Test func slidesFollowBreaksAndSecondLevelHeadings() throws {
        let lesson = try #require(try Self.loadFixtures().lesson(LessonID(language: "es", slug: "01-introduccion")))
        #expect(lesson.slides.map(\.parts) == [0..<1, 1..<3, 3..<6, 6..<8])
        #expect(lesson.slides.map(\.title) == [nil, "Características", "Ataque 1: percibiendo las modificaciones",
                                               "Características"])
        #expect(lesson.slides.map(\.location.line) == [8, 13, 30, 45])
    }

    @Test func setextUnderlineIsAWarningNotASlideBreak() throws {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", Fixtures.lesson("\nTítulo\n---\n\nTexto.\n"))
        let result = folder.load()
        #expect(result.diagnostics.map(\.description) == [
            "lessons/es/01-prueba.md:8:1: warning: this '---' underlines the line above as a heading; leave a blank "
                + "line before it to make a slide break",
        ])
        #expect(result.lessons?.lessons.first?.slides.count == 1)
    }

    @Test func rawHTMLInProseIsEscapedNotExecuted() {
        let html = MarkdownRendering.html("Hola <script>alert('x')</script> mundo.\n\n<script>\nalert(1)\n</script>\n\n"
            + "<img src=x onerror=alert(1)>\n\n[pulsa](javascript:alert(1))\n")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("javascript:"))
        #expect(html.contains("Hola &lt;script&gt;alert('x')&lt;/script&gt; mundo."))
        #expect(html.contains("<p>&lt;script&gt;\nalert(1)\n&lt;/script&gt;</p>"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test func captionsAreInlineMarkdownWithHTMLEscaped() throws {
        #expect(MarkdownRendering.inlineHTML("Ruido *amplificado* <script>alert(1)</script>")
            == "Ruido <em>amplificado</em> &lt;script&gt;alert(1)&lt;/script&gt;")
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", Fixtures.lesson("\n```classify\nimage: images/gato.png\n"
            + "caption: \"Un *gato* <script>alert(1)</script>\"\n```\n"))
        let lesson = try #require(folder.load().lessons?.lessons.first)
        let directive = try #require(lesson.directives.first)
        #expect(directive.altText == "Un gato <script>alert(1)</script>")
        #expect(MarkdownRendering.escape(directive.altText) == "Un gato &lt;script&gt;alert(1)&lt;/script&gt;")
    }

    @Test func referenceScannerSkipsAddressesAndHandles() {
        let found = ReferenceScanner.references(in: "@uno, ver @dos-3. ana@example.com @example.com (@tres-) x@y")
        #expect(found.map(\.id) == ["uno", "dos-3", "tres"])
    }
}
