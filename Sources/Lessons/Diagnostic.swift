/// A place in a lesson file: the file as the user should see it, and a 1-based line and column.
///
/// Columns count Unicode scalars (as libyaml does), so an accented letter before the offending
/// key counts once, not twice as it would in UTF-8 bytes.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file, as shown to the user (e.g. `lessons/es/01-introduccion.md`).
    public var file: String
    /// The 1-based line, or 0 when the message is about the whole file or folder.
    public var line: Int
    /// The 1-based column, or 0 when only the line is known.
    public var column: Int

    /// A location at `line` and `column` of `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A location that names the whole file (no line).
    public static func wholeFile(_ file: String) -> SourceLocation {
        SourceLocation(file: file, line: 0, column: 0)
    }

    /// `file:line:column`, the form compilers print and editors jump to; shorter when the line
    /// or column is unknown.
    public var description: String {
        if line == 0 { return file }
        if column == 0 { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }

    public static func < (left: SourceLocation, right: SourceLocation) -> Bool {
        (left.file, left.line, left.column) < (right.file, right.line, right.column)
    }
}

/// One problem found while reading the lessons.
///
/// Printed as `file:line:column: error: message`. Errors stop the build before anything runs;
/// warnings are printed but do not.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Whether the problem blocks the build.
    public enum Severity: String, Hashable, Sendable, Comparable {
        case error
        case warning

        public static func < (left: Severity, right: Severity) -> Bool {
            left == .error && right == .warning
        }
    }

    /// Error or warning.
    public var severity: Severity
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong and how to fix it.
    public var message: String

    /// A diagnostic of `severity` at `location`.
    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message`.
    public var description: String {
        "\(location): \(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    /// In file order: by file, line, column, errors before warnings at the same place.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { left, right in
            if left.location != right.location { return left.location < right.location }
            if left.severity != right.severity { return left.severity < right.severity }
            return left.message < right.message
        }
    }

    /// Whether any of the diagnostics is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }
}

/// Collects diagnostics while the lessons are read, so that every problem is reported in one
/// pass. A class so that nested readers (a directive, its inline attack specs) share one log;
/// it lives inside one loading call and never crosses threads.
final class DiagnosticLog {
    private(set) var diagnostics: [Diagnostic] = []

    func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.error, at: location, message))
    }

    func warning(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.warning, at: location, message))
    }

    func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }

    var hasErrors: Bool { diagnostics.containsErrors }
}
