import Figures

/// The talk's console output for an attack, rebuilt from the run's trace: one "Error de la
/// Red: …" line per modification, as the notebook printed, then the execution time and the
/// number of modifications.
///
/// The numbers are written as Python printed them (a dot, the float32 value widened to a
/// double: `0.9543400406837463`), because the block imitates that console; the words are in
/// the page's language.
public enum ConsoleLog {
    /// At most this many step lines; longer runs keep the first and last halves with a line
    /// saying how many were left out.
    public static let maximumStepLines = 200

    /// The lines of the log.
    public static func lines(for record: AttackRecord, language: FigureLanguage) -> [String] {
        let summary = record.summary
        let targeted = summary.target != nil
        let originalLabel = summary.originalClass.label
        // Step 0 is the starting image; the notebook printed after each modification.
        let entries = summary.trace.filter { $0.step > 0 }
        var stepLines: [String] = entries.map { entry in
            let value = Double(entry.targetProbability ?? entry.originalClassProbability)
            switch (language, targeted) {
            case (.spanish, true): return "Error de la Red: \(value)"
            case (.english, true): return "Network error: \(value)"
            case (.spanish, false): return "Probabilidad de '\(originalLabel)': \(value)"
            case (.english, false): return "Probability of '\(originalLabel)': \(value)"
            }
        }
        if stepLines.count > maximumStepLines {
            let half = maximumStepLines / 2
            let omitted = stepLines.count - 2 * half
            let gap = language == .spanish ? "… (\(omitted) líneas más) …" : "… (\(omitted) more lines) …"
            stepLines = Array(stepLines.prefix(half)) + [gap] + Array(stepLines.suffix(half))
        }
        let seconds = pythonFixed(summary.wallTimeSeconds, decimals: 2)
        let closing: [String]
        switch language {
        case .spanish:
            closing = ["El tiempo de ejecución ha sido: \(seconds) segundos",
                       "Se han realizado \(summary.steps) modificaciones sobre la imagen"]
        case .english:
            closing = ["Execution time: \(seconds) seconds",
                       "\(summary.steps) modifications were made to the image"]
        }
        return stepLines + [String(repeating: "=", count: 72)] + closing
    }

    /// `value` with a fixed number of decimals and a dot, as Python's `{:.2f}` writes it.
    static func pythonFixed(_ value: Double, decimals: Int) -> String {
        FigureLanguage.english.decimal(value, decimals: decimals)
    }
}
