extension Canvas {
    /// Breaks `text` into at most `maxLines` lines no wider than `maxWidth`.
    ///
    /// Words wrap at spaces; a word wider than a whole line is broken between characters.
    /// Whatever does not fit in the last line is cut and ends in "…", so text is shortened
    /// visibly and never clipped. `lastLineReserve` keeps room at the end of the last line
    /// for a suffix the caller appends (a probability that must always stay readable).
    func wrap(_ text: String, font: Font, maxWidth: Double, maxLines: Int,
              lastLineReserve: Double = 0) -> [String] {
        guard maxLines > 0 else { return [] }
        func fits(_ candidate: String, reserve: Double = 0) -> Bool {
            measure(candidate, font: font).width <= maxWidth - reserve
        }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if fits(candidate) {
                current = candidate
                continue
            }
            if !current.isEmpty {
                lines.append(current)
                current = ""
            }
            if fits(word) {
                current = word
                continue
            }
            // A single word longer than the line: break it between characters.
            for character in word {
                let extended = current + String(character)
                if fits(extended) || current.isEmpty {
                    current = extended
                } else {
                    lines.append(current)
                    current = String(character)
                }
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.isEmpty { return [""] }

        if lines.count <= maxLines, fits(lines[lines.count - 1], reserve: lastLineReserve) {
            return lines
        }
        // Too long: keep the first lines and squeeze everything else into an ellipsised last line.
        let kept = Array(lines.prefix(maxLines - 1))
        let rest = lines.dropFirst(kept.count).joined(separator: " ")
        return kept + [ellipsize(rest, font: font, maxWidth: maxWidth - lastLineReserve)]
    }

    /// Shortens `text` with a trailing "…" until it fits in `maxWidth`.
    func ellipsize(_ text: String, font: Font, maxWidth: Double) -> String {
        if measure(text, font: font).width <= maxWidth { return text }
        var characters = Array(text)
        while !characters.isEmpty {
            characters.removeLast()
            // Do not leave a dangling space or comma before the ellipsis.
            while let last = characters.last, last == " " || last == "," { characters.removeLast() }
            let candidate = String(characters) + "…"
            if measure(candidate, font: font).width <= maxWidth { return candidate }
        }
        return "…"
    }
}
