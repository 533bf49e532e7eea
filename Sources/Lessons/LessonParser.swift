import CMarkGFM
import Yams

/// A lesson read from one file, before the cross-references between lessons are resolved.
struct ParsedLesson {
    var id: LessonID
    /// nil when the file has errors.
    var lesson: Lesson?
    /// Every `@id` written in the prose, with its position.
    var references: [(id: String, location: SourceLocation)]
    /// The ids written in the directive blocks, including blocks with errors, so that a
    /// reference to a broken block is not reported a second time as unresolved.
    var declaredIDs: Set<String>
    /// Where `order` is written, for the duplicate-order warning.
    var orderLocation: SourceLocation
}

/// Reads one lesson file: front matter, body, directives, headings, slides and references.
struct LessonParser {
    let source: SourceText
    let id: LessonID
    let context: DirectiveContext
    let log: DiagnosticLog

    private struct FrontMatter {
        var title: String?
        var order: Int?
        var orderLocation: SourceLocation
        var summary = ""
        var slides = true
        var notes: String?
    }

    private static let frontMatterKeys = ["title", "order", "summary", "slides", "notes"]

    /// Reads the file; its lesson is nil when the file has errors (which are in the log).
    func parse() -> ParsedLesson {
        let errorsBefore = log.diagnostics.filter { $0.severity == .error }.count
        let (frontMatter, bodyFirstLine) = readFrontMatter()
        let body = readBody(firstLine: bodyFirstLine)
        let errorsAfter = log.diagnostics.filter { $0.severity == .error }.count
        var parsed = ParsedLesson(id: id, lesson: nil, references: body.references, declaredIDs: body.declaredIDs,
                                  orderLocation: frontMatter?.orderLocation ?? source.location(line: 1, column: 1))
        guard errorsAfter == errorsBefore, let frontMatter, let title = frontMatter.title,
              let order = frontMatter.order else { return parsed }
        parsed.lesson = Lesson(id: id, file: source.file, title: title, order: order, summary: frontMatter.summary,
                               slidesEnabled: frontMatter.slides, notes: frontMatter.notes, parts: body.parts,
                               headings: body.headings, slides: body.slides)
        return parsed
    }

    // MARK: Front matter

    /// The front matter and the file line where the body starts.
    private func readFrontMatter() -> (FrontMatter?, Int) {
        let start = source.location(line: 1, column: 1)
        var firstLine = String(source.line(1))
        if firstLine.hasPrefix("\u{FEFF}") { firstLine.removeFirst() }
        guard trimmedTrailing(firstLine) == "---" else {
            log.error(start, "a lesson starts with front matter between two '---' lines, with title, order and "
                + "summary (e.g. 'title: Introducción')")
            return (nil, 1)
        }
        guard let closingIndex = source.lines.indices.dropFirst().first(where: {
            let line = trimmedTrailing(String(source.lines[$0]))
            return line == "---" || line == "..."
        }) else {
            log.error(start, "the front matter opened by '---' on line 1 is never closed; add a line '---' "
                + "after the last front matter key")
            return (nil, source.lines.count + 1)
        }
        let bodyFirstLine = closingIndex + 2
        let yaml = source.lines[1..<closingIndex].joined(separator: "\n")
        let placement = YAMLPlacement(source: source, firstLine: 2, indentation: 0)
        var frontMatter = FrontMatter(orderLocation: start)
        guard let mapping = placement.parseMapping(yaml, what: "the front matter",
                                                   emptyHint: "it needs title, order and summary",
                                                   log: log, whenEmpty: start) else {
            return (nil, bodyFirstLine)
        }
        let keys = MappingReader(mapping, placement: placement, log: log, allowedKeys: Self.frontMatterKeys,
                                 what: "the front matter", location: start)
        if keys.has("title") {
            frontMatter.title = keys.text("title", expecting: "the lesson's title")
        } else {
            log.error(start, "the front matter has no title; add 'title: …' (the page and table of contents show it)")
        }
        if keys.has("order") {
            frontMatter.order = keys.integer("order", range: Int.min...Int.max,
                                             explanation: "(its place in the table of contents, e.g. 1)")
            frontMatter.orderLocation = keys.valueLocation("order")
        } else {
            log.error(start, "the front matter has no order; add 'order: 1' (its place in the table of contents)")
        }
        if keys.has("summary") {
            frontMatter.summary = keys.text("summary", expecting: "one sentence for the table of contents") ?? ""
        } else {
            log.warning(start, "the front matter has no summary; the table of contents will show none")
        }
        if keys.has("slides") { frontMatter.slides = keys.bool("slides") ?? true }
        frontMatter.notes = keys.text("notes", expecting: "speaker notes as text")
        keys.reportUnknownKeys()
        return (frontMatter, bodyFirstLine)
    }

    // MARK: Body

    private struct Body {
        var parts: [LessonPart] = []
        var headings: [Heading] = []
        var slides: [Slide] = []
        var references: [(id: String, location: SourceLocation)] = []
        var declaredIDs: Set<String> = []
        /// Checked `{{…}}` references of the prose, in file order.
        var resultReferences: [ResultReference] = []
    }

    /// What a top-level block means for the part and slide structure.
    private enum Boundary {
        case directive(Directive?)
        case slideBreak
        case slideHeading(String)
        /// A ```` ```notes ```` block: the speaker notes of the slide it sits in (nil when the
        /// block has errors, already logged).
        case notes(NotesBlock?)
    }

    /// A slide's speaker notes as read, before their `{{…}}` references are checked.
    private struct NotesBlock {
        var chunk: ProseChunk
        /// The opening fence, where errors about the block point.
        var location: SourceLocation
        var writtenReferences: [(reference: WrittenResultReference, location: SourceLocation)]
    }

    /// The info string that makes a fenced block speaker notes. Notes are not a directive: they
    /// run nothing and have no cache key, so they stay out of the directive schemas.
    static let notesFenceName = "notes"

    private func readBody(firstLine: Int) -> Body {
        var body = Body()
        guard firstLine <= source.lines.count else { return body }
        let bodyText = source.lines[(firstLine - 1)...].joined(separator: "\n")
        let lineOffset = firstLine - 1
        let tree = MarkdownTree(bodyText)
        // cmark splits text at characters that might start emphasis (`_` in `target_p_after`);
        // merged, a `{{…}}` reference is one text node.
        tree.consolidateTextNodes()
        let nodes = tree.allNodes

        checkMisplacedDirectives(nodes, lineOffset: lineOffset)
        body.references = findReferences(nodes, lineOffset: lineOffset)
        let writtenResultReferences = findResultReferences(nodes, lineOffset: lineOffset)

        // Directive ids come first so that headings never take a figure's anchor.
        var anchors = AnchorAllocator()
        var boundaries: [(start: Int, end: Int, boundary: Boundary)] = []
        var idLines: [String: Int] = [:]
        var figureCount = 0
        for block in tree.topLevelBlocks {
            let start = block.startLine + lineOffset
            let end = block.endLine + lineOffset
            switch block.type {
            case CMARK_NODE_CODE_BLOCK where isNotesBlock(block):
                boundaries.append((start, end, .notes(readNotes(block, lineOffset: lineOffset))))
            case CMARK_NODE_CODE_BLOCK where directiveName(of: block) != nil:
                var directive = readDirective(block, lineOffset: lineOffset)
                if let declared = writtenID(in: block) { body.declaredIDs.insert(declared) }
                if var found = directive {
                    if found.presentation.caption != nil {
                        figureCount += 1
                        found.figureNumber = figureCount
                    }
                    if let id = found.presentation.id {
                        if let firstLine = idLines[id] {
                            log.error(idLocation(in: block, lineOffset: lineOffset, fallback: found.location),
                                      "duplicate id '\(id)': the block on line \(firstLine) already uses it; "
                                      + "ids must be unique in a lesson")
                        } else {
                            idLines[id] = start
                            _ = anchors.reserve(id)
                            found.anchor = id
                        }
                    }
                    directive = found
                }
                boundaries.append((start, end, .directive(directive)))
            case CMARK_NODE_THEMATIC_BREAK where trimmedTrailing(trimmedLeading(String(source.line(start)))) == "---":
                boundaries.append((start, end, .slideBreak))
            case CMARK_NODE_HEADING where block.headingLevel == 2:
                boundaries.append((start, end, .slideHeading(Slug.explicitAnchor(in: block.plainText).text)))
            default:
                break
            }
        }

        // Headings, in document order, with anchors unique on the page.
        for node in nodes where node.type == CMARK_NODE_HEADING {
            let line = node.startLine + lineOffset
            let (text, explicit) = Slug.explicitAnchor(in: node.plainText)
            let anchor = anchors.unique(explicit ?? Slug.make(text, fallback: "seccion"))
            body.headings.append(Heading(level: node.headingLevel, text: text, anchor: anchor,
                                         location: source.location(line: line, column: 1)))
            warnAboutSetextUnderline(node, lineOffset: lineOffset)
        }

        // Directives without an id get `figura-3` (captioned) or `attack-2`.
        var kindCounts: [String: Int] = [:]
        for index in boundaries.indices {
            guard case .directive(var directive?) = boundaries[index].boundary, directive.anchor.isEmpty else { continue }
            kindCounts[directive.kind, default: 0] += 1
            if let number = directive.figureNumber {
                directive.anchor = anchors.unique(Slug.make("\(FigureWords.word(for: id.language)) \(number)",
                                                            fallback: "figure-\(number)"))
            } else {
                directive.anchor = anchors.unique("\(directive.kind)-\(kindCounts[directive.kind] ?? 1)")
            }
            boundaries[index].boundary = .directive(directive)
        }

        checkResultReferences(&body, written: writtenResultReferences, boundaries: &boundaries,
                              tree: tree, lineOffset: lineOffset)
        buildParts(&body, boundaries: boundaries, bodyFirstLine: firstLine)
        return body
    }

    // MARK: Result references

    /// `{{…}}` in prose text nodes, with the position of the `{{` in the file.
    private func findResultReferences(_ nodes: [MarkdownNode], lineOffset: Int)
        -> [(reference: WrittenResultReference, location: SourceLocation)] {
        var found: [(reference: WrittenResultReference, location: SourceLocation)] = []
        for node in nodes where node.type == CMARK_NODE_TEXT {
            let references = ResultReferenceScanner.references(in: node.literal)
            guard !references.isEmpty else { continue }
            let line = node.startLine + lineOffset
            var searchFrom = max(0, node.startColumn - 1)
            for reference in references {
                let written = String(node.literal[reference.range])
                let location = locate(written, line: line, fromByte: &searchFrom)
                found.append((reference, location))
            }
        }
        return found
    }

    /// The position of `written` on `line` at or after byte `searchFrom` (which moves past it);
    /// the line's first column when the text differs from the source (escapes, entities).
    private func locate(_ written: String, line: Int, fromByte searchFrom: inout Int) -> SourceLocation {
        let lineBytes = Array(String(source.line(line)).utf8)
        guard let byteOffset = firstIndex(of: Array(written.utf8), in: lineBytes, from: searchFrom) else {
            return source.location(line: line, column: 1)
        }
        searchFrom = byteOffset + written.utf8.count
        return source.location(line: line, column: source.scalarColumn(line: line, byteColumn: byteOffset + 1))
    }

    /// Checks the prose's references and each caption's against the page's directives; the
    /// captions' references are stored on their directives.
    private func checkResultReferences(_ body: inout Body,
                                       written: [(reference: WrittenResultReference, location: SourceLocation)],
                                       boundaries: inout [(start: Int, end: Int, boundary: Boundary)],
                                       tree: MarkdownTree, lineOffset: Int) {
        var directives: [String: Directive] = [:]
        for (_, _, boundary) in boundaries {
            if case .directive(let directive?) = boundary, let id = directive.presentation.id, directives[id] == nil {
                directives[id] = directive
            }
        }
        let checker = ResultReferenceChecker(directives: directives,
                                             brokenIDs: body.declaredIDs.subtracting(directives.keys), log: log)
        body.resultReferences = written.compactMap { checker.check($0.reference, at: $0.location) }
        for index in boundaries.indices {
            guard case .notes(var notes?) = boundaries[index].boundary, !notes.writtenReferences.isEmpty else { continue }
            notes.chunk.resultReferences = notes.writtenReferences.compactMap { checker.check($0.reference, at: $0.location) }
            boundaries[index].boundary = .notes(notes)
        }

        let blocks = tree.topLevelBlocks.filter { $0.type == CMARK_NODE_CODE_BLOCK && directiveName(of: $0) != nil }
        for index in boundaries.indices {
            guard case .directive(var directive?) = boundaries[index].boundary,
                  let caption = directive.presentation.caption else { continue }
            let found = ResultReferenceScanner.references(in: caption)
            guard !found.isEmpty else { continue }
            let block = blocks.first { $0.startLine + lineOffset == boundaries[index].start }
            let captionStart = block.flatMap { captionLocation(in: $0, lineOffset: lineOffset) } ?? directive.location
            var searchFrom = 0
            directive.captionReferences = found.compactMap { reference in
                let location = captionStart.line > 0
                    ? locate(String(caption[reference.range]), line: captionStart.line, fromByte: &searchFrom)
                    : captionStart
                return checker.check(reference, at: location)
            }
            boundaries[index].boundary = .directive(directive)
        }
    }

    /// The position of a directive block's `caption` value.
    private func captionLocation(in block: MarkdownNode, lineOffset: Int) -> SourceLocation? {
        guard let fence = block.fence, let root = try? Yams.compose(yaml: block.literal),
              let mapping = root.mapping else { return nil }
        let placement = YAMLPlacement(source: source, firstLine: block.startLine + lineOffset + 1,
                                      indentation: fence.indentation)
        for (key, value) in mapping where key.string == "caption" {
            return placement.location(value.mark)
        }
        return nil
    }

    /// Splits the body into prose chunks, directives and slides.
    private func buildParts(_ body: inout Body, boundaries: [(start: Int, end: Int, boundary: Boundary)],
                            bodyFirstLine: Int) {
        var chunkStart = bodyFirstLine
        var slideStartPart = 0
        var slideTitle: String?
        var slideNotes: NotesBlock?

        func flushProse(upTo lastLine: Int) {
            guard chunkStart <= lastLine else { return }
            var first = chunkStart
            var last = lastLine
            while first <= last, source.line(first).allSatisfy(\.isWhitespace) { first += 1 }
            while last >= first, source.line(last).allSatisfy(\.isWhitespace) { last -= 1 }
            guard first <= last else { return }
            let markdown = source.lines[(first - 1)...(last - 1)].joined(separator: "\n") + "\n"
            let anchors = body.headings.filter { (first...last).contains($0.location.line) }.map(\.anchor)
            let resultReferences = body.resultReferences.filter { (first...last).contains($0.location.line) }
            body.parts.append(.prose(ProseChunk(markdown: markdown, startLine: first, headingAnchors: anchors,
                                                references: [:], resultReferences: resultReferences)))
        }

        func closeSlide() {
            if slideStartPart < body.parts.count {
                let firstLine: Int
                switch body.parts[slideStartPart] {
                case .prose(let chunk): firstLine = chunk.startLine
                case .directive(let directive): firstLine = directive.location.line
                }
                body.slides.append(Slide(title: slideTitle, parts: slideStartPart..<body.parts.count,
                                         location: source.location(line: firstLine, column: 1),
                                         notes: slideNotes?.chunk))
            } else if let slideNotes {
                // The slide has nothing to show, so it is dropped, and its notes would silently go
                // with it.
                log.error(slideNotes.location, "this notes block is on a slide with nothing else on it, which is "
                    + "dropped; put it after the content of the slide it is for (slides start at the top, at each "
                    + "'##' heading and at each '---' line)")
            }
            slideStartPart = body.parts.count
            slideTitle = nil
            slideNotes = nil
        }

        for (start, end, boundary) in boundaries {
            flushProse(upTo: start - 1)
            switch boundary {
            case .directive(let directive):
                if let directive { body.parts.append(.directive(directive)) }
                chunkStart = end + 1
            case .slideBreak:
                closeSlide()
                chunkStart = end + 1
            case .slideHeading(let title):
                closeSlide()
                slideTitle = title
                chunkStart = start
            case .notes(let notes):
                chunkStart = end + 1
                guard let notes else { continue }
                if let first = slideNotes {
                    // One block per slide: merging two would hide which one a presenter meant to
                    // keep, and their order would be easy to get wrong.
                    log.error(notes.location, "this slide already has a notes block (line \(first.location.line)); "
                        + "a slide takes one: merge the two into one block")
                } else {
                    slideNotes = notes
                }
            }
        }
        flushProse(upTo: source.lines.count)
        closeSlide()
    }

    // MARK: Speaker notes

    /// Whether a block is a fenced ```` ```notes ```` block.
    private func isNotesBlock(_ block: MarkdownNode) -> Bool {
        guard block.fence != nil else { return false }
        return block.fenceInfo.split(whereSeparator: \.isWhitespace).first.map(String.init) == Self.notesFenceName
    }

    /// A notes block's Markdown and its `{{…}}` references, or nil after logging why it cannot be
    /// used (never closed, or empty).
    private func readNotes(_ block: MarkdownNode, lineOffset: Int) -> NotesBlock? {
        guard let fence = block.fence else { return nil }
        let fenceLine = block.startLine + lineOffset
        let fenceLocation = source.location(line: fenceLine, column: fence.indentation + 1)
        let endLine = block.endLine + lineOffset
        let fenceText = String(repeating: fence.character, count: fence.length)
        guard endLine > fenceLine, isClosingFence(String(source.line(endLine)), fence: fence) else {
            log.error(fenceLocation, "the notes block opened here is never closed; add a line with \(fenceText) "
                + "after the notes")
            return nil
        }
        let markdown = block.literal
        guard !markdown.allSatisfy(\.isWhitespace) else {
            log.error(fenceLocation, "this notes block is empty; write the speaker notes for this slide between "
                + "its \(fenceText) lines, or remove the block")
            return nil
        }
        // The block's text parsed on its own: line 1 of `markdown` is the line after the fence.
        let tree = MarkdownTree(markdown)
        tree.consolidateTextNodes()
        let written = findResultReferences(tree.allNodes, lineOffset: fenceLine)
        let chunk = ProseChunk(markdown: markdown, startLine: fenceLine + 1, headingAnchors: [], references: [:])
        return NotesBlock(chunk: chunk, location: fenceLocation, writtenReferences: written)
    }

    // MARK: Directives

    /// The directive name of a fenced code block, or nil for ordinary code.
    private func directiveName(of block: MarkdownNode) -> String? {
        guard block.fence != nil else { return nil }
        let name = block.fenceInfo.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        return context.directiveNames.contains(name) ? name : nil
    }

    private func readDirective(_ block: MarkdownNode, lineOffset: Int) -> Directive? {
        guard let name = directiveName(of: block), let schema = context.schema(named: name),
              let fence = block.fence else { return nil }
        let fenceLine = block.startLine + lineOffset
        let fenceLocation = source.location(line: fenceLine, column: fence.indentation + 1)
        let endLine = block.endLine + lineOffset
        guard endLine > fenceLine, isClosingFence(String(source.line(endLine)), fence: fence) else {
            let fenceText = String(repeating: fence.character, count: fence.length)
            log.error(fenceLocation, "the \(name) block opened here is never closed; add a line with "
                + "\(fenceText) after its YAML")
            return nil
        }
        let placement = YAMLPlacement(source: source, firstLine: fenceLine + 1, indentation: fence.indentation)
        guard let mapping = placement.parseMapping(block.literal, what: "this \(name) block",
                                                   emptyHint: schema.emptyBlockHint,
                                                   log: log, whenEmpty: fenceLocation),
              let read = DirectiveReader.readDirective(schema: schema, mapping: mapping, placement: placement,
                                                       fenceLocation: fenceLocation, context: context, log: log)
        else { return nil }
        return Directive(body: read.body, presentation: read.presentation, location: fenceLocation,
                         figureNumber: nil, anchor: "")
    }

    /// The `id` a directive block declares, read from its YAML whether or not the block is valid.
    private func writtenID(in block: MarkdownNode) -> String? {
        guard let root = try? Yams.compose(yaml: block.literal), let mapping = root.mapping else { return nil }
        return mapping.first { $0.key.string == "id" }?.value.string
    }

    /// The position of the `id` value of a directive block, for the duplicate-id error.
    private func idLocation(in block: MarkdownNode, lineOffset: Int, fallback: SourceLocation) -> SourceLocation {
        guard let fence = block.fence,
              let root = try? Yams.compose(yaml: block.literal),
              let mapping = root.mapping else { return fallback }
        let placement = YAMLPlacement(source: source, firstLine: block.startLine + lineOffset + 1,
                                      indentation: fence.indentation)
        for (key, value) in mapping where key.string == "id" {
            return placement.location(value.mark)
        }
        return fallback
    }

    /// A closing fence: up to three spaces, at least as many fence characters as the opening
    /// fence, then only spaces.
    private func isClosingFence(_ line: String, fence: (length: Int, indentation: Int, character: Character)) -> Bool {
        let content = trimmedLeading(line)
        guard line.count - content.count <= 3 else { return false }
        let run = content.prefix { $0 == fence.character }
        return run.count >= fence.length && content.dropFirst(run.count).allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// Directive blocks inside lists or quotes are errors (their positions and meaning would be
    /// ambiguous); an info string one letter away from a directive name is a warning.
    private func checkMisplacedDirectives(_ nodes: [MarkdownNode], lineOffset: Int) {
        for node in nodes where node.type == CMARK_NODE_CODE_BLOCK && node.fence != nil {
            let line = node.startLine + lineOffset
            let location = source.location(line: line, column: source.scalarColumn(line: line, byteColumn: node.startColumn))
            if isNotesBlock(node) {
                if let parent = node.parent, parent.type != CMARK_NODE_DOCUMENT {
                    log.error(location, "the notes block is inside a list or quote; a notes block must start at the "
                        + "left margin of the lesson, inside the slide it is for")
                }
                continue
            }
            if let name = directiveName(of: node) {
                if let parent = node.parent, parent.type != CMARK_NODE_DOCUMENT {
                    log.error(location, "the \(name) block is inside a list or quote; directive blocks must start "
                        + "at the left margin of the lesson")
                }
                continue
            }
            let info = node.fenceInfo.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
            guard info.count >= 4 else { continue }
            let near = (context.directiveNames + [Self.notesFenceName]).filter { Suggestions.editDistance(info, $0) == 1 }
            if let name = near.first {
                let meant = name == Self.notesFenceName ? "the speaker notes block 'notes'" : "the directive '\(name)'"
                log.warning(location, "the code block '\(info)' is shown as code; did you mean \(meant)?")
            }
        }
    }

    /// "Título\n---" is a heading in CommonMark, not a slide break: say so, since it is easy to
    /// write by accident.
    private func warnAboutSetextUnderline(_ node: MarkdownNode, lineOffset: Int) {
        let firstLine = node.startLine + lineOffset
        guard node.headingLevel == 2, !trimmedLeading(String(source.line(firstLine))).hasPrefix("#") else { return }
        // A setext heading's text may span lines; its underline is the first line of dashes.
        var underlineLine = firstLine + 1
        var underline = ""
        while underlineLine <= source.lines.count {
            underline = trimmedTrailing(trimmedLeading(String(source.line(underlineLine))))
            if !underline.isEmpty, underline.allSatisfy({ $0 == "-" }) { break }
            underlineLine += 1
        }
        guard underlineLine <= source.lines.count else { return }
        log.warning(source.location(line: underlineLine, column: 1),
                    "this '\(underline)' underlines the line above as a heading; leave a blank line before it "
                    + "to make a slide break")
    }

    // MARK: References

    /// `@id` references in prose text (code spans and code blocks are not text nodes), with the
    /// position of the `@` in the file. `\@name` is not a reference.
    private func findReferences(_ nodes: [MarkdownNode], lineOffset: Int) -> [(id: String, location: SourceLocation)] {
        var references: [(id: String, location: SourceLocation)] = []
        for node in nodes where node.type == CMARK_NODE_TEXT {
            let found = ReferenceScanner.references(in: node.literal)
            guard !found.isEmpty else { continue }
            let line = node.startLine + lineOffset
            let lineText = String(source.line(line))
            let lineBytes = Array(lineText.utf8)
            var searchFrom = max(0, node.startColumn - 1)
            for reference in found {
                // The text node's literal may differ from the source (entities, escapes), so the
                // reference is looked up in the source line from the node's start.
                let needle = Array(("@" + reference.id).utf8)
                guard let byteOffset = firstIndex(of: needle, in: lineBytes, from: searchFrom) else {
                    references.append((reference.id, source.location(line: line, column: 1)))
                    continue
                }
                searchFrom = byteOffset + needle.count
                if byteOffset > 0, lineBytes[byteOffset - 1] == UInt8(ascii: "\\") { continue }
                let column = source.scalarColumn(line: line, byteColumn: byteOffset + 1)
                references.append((reference.id, source.location(line: line, column: column)))
            }
        }
        return references
    }

    private func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        for offset in start...(haystack.count - needle.count) where haystack[offset..<(offset + needle.count)].elementsEqual(needle) {
            return offset
        }
        return nil
    }
}

func trimmedTrailing(_ text: String) -> String {
    var result = Substring(text)
    while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
    return String(result)
}

func trimmedLeading(_ text: String) -> String {
    String(text.drop { $0 == " " || $0 == "\t" })
}
