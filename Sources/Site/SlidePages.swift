import Lessons

/// The slide mode of a lesson: `<lang>/<slug>.slides.html`.
///
/// The page holds the lesson's slides (the same `<section class="slide">` as the lesson page) and
/// `assets/slides.js` shows one at a time: `#/3` is slide 3, `?speaker` turns the page into the
/// speaker view (current slide, next slide, notes, timer) that follows the presenting window.
/// Without JavaScript the slides read as one long page.
extension SitePages {
    /// The slides file name next to the lesson page, percent-encoded for links.
    static func slidesFile(_ id: LessonID) -> String {
        HTML.pathSegment(id.slug) + ".slides.html"
    }

    func slidesPage(_ lesson: Lesson) throws(SiteRenderError) -> String {
        let words = SiteWords(lessonLanguage: lesson.id.language)
        let rootPath = "../"
        let values = try resultValues(for: lesson, language: words.language)
        let slideCount = max(lesson.slides.count, 1)
        var html = HTMLWriter()
        var head = head(language: lesson.id.language, title: lesson.title + " · " + words.slides, rootPath: rootPath,
                        alternates: [])
        // The slide mode's own style and script, after the theme's.
        head = head.replacingOccurrences(of: "</head>\n", with:
            "<link rel=\"stylesheet\" href=\"\(rootPath)assets/slides.css\">\n"
            + "<script src=\"\(rootPath)assets/slides.js\" defer></script>\n</head>\n")
        html.raw(head)
        html.line("<body class=\"page-slides\" data-deck=\"\(HTML.attribute(lesson.id.description))\" "
            + "data-slide-count=\"\(slideCount)\" data-word-slide=\"\(HTML.attribute(words.slide))\" "
            + "data-word-end=\"\(HTML.attribute(words.endOfDeck))\" data-word-reset=\"\(HTML.attribute(words.resetTimer))\" "
            + "data-word-pause=\"\(HTML.attribute(words.pauseTimer))\" "
            + "data-word-no-slide-notes=\"\(HTML.attribute(words.noSlideNotes))\">")
        html.line("<main id=\"deck\" class=\"deck lesson\" aria-roledescription=\"\(HTML.attribute(words.slideDeck))\" "
            + "aria-label=\"\(HTML.attribute(lesson.title))\" data-lesson=\"\(HTML.attribute(lesson.id.slug))\">")
        var sections = try body(lesson, words: words, values: values, rootPath: rootPath, contentsAfterTitle: "")
        // Each slide says what it is and where it is to a screen reader.
        for (index, slide) in (lesson.slides.isEmpty ? [nil] : lesson.slides.map { Optional($0) }).enumerated() {
            let number = index + 1
            let label = "\(number) / \(slideCount)" + (slide?.title.map { ": " + $0 } ?? (number == 1 ? ": " + lesson.title : ""))
            sections = sections.replacingOccurrences(
                of: "<section class=\"slide\" id=\"slide-\(number)\" data-slide=\"\(number)\"",
                with: "<section class=\"slide\" id=\"slide-\(number)\" data-slide=\"\(number)\" "
                    + "aria-roledescription=\"\(HTML.attribute(words.slide))\" aria-label=\"\(HTML.attribute(label))\"")
        }
        html.raw(sections)
        html.line("</main>")
        // The speaker view's panel (hidden while presenting).
        html.line("<aside class=\"speaker-panel\" aria-label=\"\(HTML.attribute(words.speakerView))\" hidden>")
        html.line("<div class=\"speaker-timer\"><span class=\"speaker-timer-label\">\(HTML.text(words.timer))</span> "
            + "<output class=\"speaker-clock\" aria-live=\"off\">00:00</output> "
            + "<button type=\"button\" class=\"deck-button\" data-action=\"timer-pause\">\(HTML.text(words.pauseTimer))</button> "
            + "<button type=\"button\" class=\"deck-button\" data-action=\"timer-reset\">\(HTML.text(words.resetTimer))</button></div>")
        html.line("<p class=\"speaker-next-label\">\(HTML.text(words.nextUp)): <span class=\"speaker-next-title\"></span></p>")
        // The current slide's notes: slides.js copies them in from the slide's `<template>` as the
        // slides move. Templates are inert and never rendered, so the presenting window (and a
        // screen reader on it) gets no hidden copy of the notes.
        html.line("<h2 class=\"speaker-notes-title\">\(HTML.text(words.slideNotes))</h2>")
        html.line("<div class=\"speaker-slide-notes\" data-notes-slide=\"\"><p class=\"speaker-no-notes\">"
            + "\(HTML.text(words.noSlideNotes))</p></div>")
        for (index, slide) in lesson.slides.enumerated() {
            guard let notes = slide.notes else { continue }
            html.line("<template class=\"slide-notes\" data-slide=\"\(index + 1)\">")
            html.raw(notes.html(resultValues: values))
            html.line("</template>")
        }
        // The front matter's notes: for the whole lesson, one paragraph per line.
        if let notes = lesson.notes, !notes.isEmpty {
            html.line("<h2 class=\"speaker-notes-title\">\(HTML.text(words.lessonNotes))</h2>")
            html.line("<div class=\"speaker-notes-text\">")
            for paragraph in notes.split(separator: "\n", omittingEmptySubsequences: true) {
                html.line("<p>\(HTML.text(String(paragraph)))</p>")
            }
            html.line("</div>")
        }
        html.line("</aside>")
        html.line("<nav class=\"deck-controls\" aria-label=\"\(HTML.attribute(words.slideControls))\">")
        html.line("<a class=\"deck-button deck-exit\" href=\"\(HTML.attribute(HTML.pathSegment(lesson.id.slug))).html\">"
            + "<span aria-hidden=\"true\">✕</span><span class=\"deck-label\">\(HTML.text(words.backToLesson))</span></a>")
        html.line("<button type=\"button\" class=\"deck-button\" data-action=\"previous\" aria-label=\"\(HTML.attribute(words.previousSlide))\" "
            + "title=\"\(HTML.attribute(words.previousSlide)) (←)\">←</button>")
        html.line("<p class=\"deck-counter\" aria-live=\"polite\"><span class=\"visually-hidden\">\(HTML.text(words.slide)) </span>"
            + "<span class=\"deck-current\">1</span> / <span class=\"deck-total\">\(slideCount)</span></p>")
        html.line("<button type=\"button\" class=\"deck-button\" data-action=\"next\" aria-label=\"\(HTML.attribute(words.nextSlide))\" "
            + "title=\"\(HTML.attribute(words.nextSlide)) (→)\">→</button>")
        html.line("<button type=\"button\" class=\"deck-button\" data-action=\"overview\" aria-pressed=\"false\" "
            + "title=\"\(HTML.attribute(words.overview)) (o)\">\(HTML.text(words.overview))</button>")
        html.line("<button type=\"button\" class=\"deck-button\" data-action=\"speaker\" "
            + "title=\"\(HTML.attribute(words.speakerView)) (s)\">\(HTML.text(words.speakerView))</button>")
        html.line("<button type=\"button\" class=\"deck-button\" data-action=\"fullscreen\" "
            + "title=\"\(HTML.attribute(words.fullscreen)) (f)\">\(HTML.text(words.fullscreen))</button>")
        html.line("<p class=\"deck-keys\">\(HTML.text(words.keyHelp))</p>")
        html.line("</nav>")
        html.line("<div class=\"deck-progress\" aria-hidden=\"true\"><span class=\"deck-progress-bar\"></span></div>")
        html.line("</body>")
        html.line("</html>")
        return html.output
    }
}
