/// The lines of one lesson file, for turning parser positions into file positions.
struct SourceText {
    /// The file as shown in diagnostics.
    let file: String
    /// The file's lines without their line ends; `lines[0]` is line 1.
    let lines: [Substring]

    /// Splits `text` into lines, accepting `\n` and `\r\n` line ends.
    init(file: String, text: String) {
        self.file = file
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for index in lines.indices where lines[index].hasSuffix("\r") {
            lines[index] = lines[index].dropLast()
        }
        self.lines = lines
    }

    /// Line `number` (1-based), or an empty line past the end.
    func line(_ number: Int) -> Substring {
        lines.indices.contains(number - 1) ? lines[number - 1] : ""
    }

    /// A location at a 1-based line and a 1-based column counted in Unicode scalars.
    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    /// Converts cmark's byte column (1-based, UTF-8) on `line` to a column in Unicode scalars.
    func scalarColumn(line: Int, byteColumn: Int) -> Int {
        let text = self.line(line)
        var bytes = 0
        var scalars = 0
        for scalar in text.unicodeScalars {
            if bytes >= byteColumn - 1 { break }
            bytes += String(scalar).utf8.count
            scalars += 1
        }
        return scalars + 1
    }
}
