// Lessons: the lesson files and their directives, read, checked and planned before anything
// runs.
//
// The pipeline, in the order a build calls it:
//
//   LessonLoader.load(context:)       lessons/<lang>/*.md → LessonLoadResult
//     ├─ front matter (Yams)          title, order, summary, slides, notes
//     ├─ body (cmark-gfm)             prose chunks, directive blocks, headings, slides
//     ├─ directive bodies (Yams)      typed, validated, defaults filled (DirectiveBody)
//     ├─ result references            {{id.field}} in prose and captions, checked against the
//     │                               page's directives (ResultReferences.swift has the syntax)
//     └─ cross-references             @id → figure number and anchor
//   RunPlan.make(lessons:environment:digester:)
//                                     one Job per distinct computation, keyed by SHA-256
//   ResultCache.lookup / store        verified, atomically written results per key
//
// Every problem found on the way becomes a Diagnostic (`file:line:column: error: message`);
// LessonLoadResult.lessons is nil while any of them is an error, so nothing is computed from
// a lesson that does not validate.
//
// Nothing here runs an attack, draws a figure or writes HTML pages: the runner maps each Job's
// DirectiveBody to the Attacks and Engine modules, and the site renders Lesson.parts.

extension Directive {
    /// The caption as inline HTML (Markdown emphasis kept, raw HTML escaped), or nil.
    public var captionHTML: String? {
        captionHTML(resultValues: [:])
    }

    /// The caption as inline HTML with its `{{…}}` references replaced by `resultValues`
    /// (keyed by ``ResultReference/text``), or nil.
    public func captionHTML(resultValues: [String: String]) -> String? {
        presentation.caption.map { MarkdownRendering.inlineHTML($0, resultValues: resultValues) }
    }

    /// The caption as plain text with its references replaced, for alt texts and titles.
    public func captionText(resultValues: [String: String]) -> String? {
        presentation.caption.map { MarkdownRendering.plainText($0, resultValues: resultValues) }
    }
}
