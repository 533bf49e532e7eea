import ArgumentParser
import Engine
import Foundation
import Lessons
import Runner
import Site

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the lesson site: check every lesson, run (or reuse) each directive, write the site.",
        discussion: """
        Every lesson is read and checked first; any error is printed as file:line:column and nothing runs. \
        Results are cached in .trilobite-cache beside the lessons folder: only directives whose inputs \
        changed run again. The site is written to a temporary folder and swapped in whole.

        Example: swift run -c release trilobite build
        """)

    @Option(help: "The lessons folder (one folder per language: es/, en/; images anywhere inside).")
    var lessons = "lessons"

    @Option(help: "The site folder to write (replaced as a whole).")
    var out = "site"

    @Option(help: "The result cache (default: .trilobite-cache beside the lessons folder).")
    var cache: String?

    @Flag(help: "Recompute every result instead of taking it from the cache.")
    var force = false

    @Option(help: "Directives run at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Folder with the weights and labels (default: ./Weights or the project's).")
    var weights: String?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        let start = ContinuousClock.now
        let lessonsFolder = (lessons as NSString).standardizingPath
        let parent = (lessonsFolder as NSString).deletingLastPathComponent
        let cacheFolder = cache ?? ((parent.isEmpty ? "." : parent) + "/" + ResultCache.defaultFolderName)
        let weightsFolder: String
        do {
            weightsFolder = try WeightsLocator.directory(explicit: weights)
        } catch {
            printError("trilobite: error: \(error)")
            throw ExitCode(1)
        }
        let options = BuildOptions(lessonsFolder: lessonsFolder, outputFolder: out, cacheFolder: cacheFolder,
                                   weightsFolder: weightsFolder, force: force,
                                   workers: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let display = BuildProgressDisplay(terminal: isatty(STDERR_FILENO) == 1)
        let result: BuildResult
        do {
            result = try SiteBuild.run(options, displayRoot: lessons) { display.handle($0) }
        } catch {
            display.finish()
            switch error {
            case .invalidLessons(let diagnostics):
                for diagnostic in diagnostics { printError(diagnostic.description) }
                let count = diagnostics.filter { $0.severity == .error }.count
                printError("trilobite: \(count) error\(count == 1 ? "" : "s") in the lessons; nothing was run "
                    + "and \(out) was not changed")
            case .jobsFailed(let lines):
                for line in lines { printError(line) }
                printError("trilobite: \(lines.count) directive\(lines.count == 1 ? "" : "s") failed; \(out) was not "
                    + "changed (the directives that succeeded are cached)")
            case .setup(let message), .site(let message):
                printError("trilobite: error: \(message)")
            }
            throw ExitCode(1)
        }
        display.finish()
        for warning in result.warnings { printError(warning.description) }
        for note in result.recoveryNotes { printError("trilobite: note: \(note)") }
        for warning in result.cacheWarnings { printError("trilobite: warning: \(warning)") }
        print(Self.summary(result, output: out, seconds: seconds(since: start)))
    }

    /// "12 directives (7 computations): 2 run, 5 from cache", each run with its time, the
    /// figures and what changed in the site.
    static func summary(_ result: BuildResult, output: String, seconds: Double) -> String {
        // A sweep computes nothing itself: its points are the computations, listed one by one.
        let reports = result.reports.filter { $0.assembledFrom == 0 }
        let ran = reports.filter(\.ran)
        let cached = reports.count - ran.count
        var lines: [String] = []
        lines.append("\(result.directiveCount) directive\(result.directiveCount == 1 ? "" : "s") "
            + "(\(reports.count) computation\(reports.count == 1 ? "" : "s")): \(ran.count) run, \(cached) from cache")
        for report in ran {
            lines.append("  ran \(report.location)  \(report.summary)  " + String(format: "%.2f s", report.seconds))
        }
        let drawn = result.reports.reduce(0) { $0 + $1.figuresDrawn }
        let reused = result.reports.reduce(0) { $0 + $1.figuresFromCache }
        lines.append("figures: \(drawn) drawn, \(reused) from cache")
        let write = result.write
        if write.nothingChanged {
            lines.append("site: \(output)/ unchanged (\(write.unchanged) files)")
        } else {
            lines.append("site: \(output)/ — \(write.written.count) file\(write.written.count == 1 ? "" : "s") written, "
                + "\(write.unchanged) unchanged, \(write.removed.count) removed")
        }
        lines.append(String(format: "built in %.2f s; open %@/index.html", seconds, output))
        return lines.joined(separator: "\n")
    }
}

private func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

private func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// The build's live display on standard error.
///
/// On a terminal: one status line, then a line per busy worker with its directive, step and ETA,
/// redrawn at most ten times a second; a failed computation is printed above it for good.
/// Elsewhere (a log, CI) nothing is drawn: the summary lists every computation.
final class BuildProgressDisplay: @unchecked Sendable {
    private let terminal: Bool
    private let lock = NSLock()
    private var jobs: [JobSummary] = []
    private var directives = 0
    private var finished = 0
    private var ranCount = 0
    private var active: [Int: (job: Int, computing: Bool, progress: JobProgress?)] = [:]
    private var drawnLines = 0
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(terminal: Bool) {
        self.terminal = terminal
    }

    func handle(_ event: BuildEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .planned(let jobs, let directives):
            self.jobs = jobs
            self.directives = directives
        case .run(.started(let job, let worker, let computing)):
            active[worker] = (job, computing, nil)
        case .run(.progress(let job, let worker, let progress)):
            active[worker] = (job, true, progress)
        case .run(.finished(_, let worker, let report)):
            active[worker] = nil
            finished += 1
            if report.ran {
                // Listed with its time in the summary; the status line counts it meanwhile.
                ranCount += 1
            } else if let failure = report.failure {
                emitPermanent("  failed \(report.location)  \(failure)")
            }
        }
        redraw(force: false)
    }

    /// Clears the live lines.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        clear()
    }

    /// A line that stays, above the live lines (on a terminal only: elsewhere the summary and
    /// the error lines say it).
    private func emitPermanent(_ line: String) {
        guard terminal else { return }
        clear()
        FileHandle.standardError.write(Data((line + "\n").utf8))
        redraw(force: true)
    }

    private func clear() {
        guard terminal, drawnLines > 0 else { return }
        FileHandle.standardError.write(Data("\u{1B}[\(drawnLines)A\r\u{1B}[J".utf8))
        drawnLines = 0
    }

    private func redraw(force: Bool) {
        guard terminal, !jobs.isEmpty else { return }
        let now = ContinuousClock.now
        guard force || now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        clear()
        var lines = ["building: \(finished)/\(jobs.count) computations done, \(ranCount) run, \(active.count) busy"]
        for worker in active.keys.sorted() {
            guard let (job, computing, progress) = active[worker], jobs.indices.contains(job) else { continue }
            let summary = jobs[job]
            var line = "  [\(worker + 1)] \(summary.location.file):\(summary.location.line) \(summary.summary)"
            if let progress {
                if progress.parts > 1 { line += " · \(progress.part)/\(progress.parts)" }
                line += " · step \(progress.step)/\(progress.totalSteps)"
                if let eta = progress.estimatedSecondsRemaining { line += String(format: " · ETA %.1f s", eta) }
            } else {
                line += computing ? " · starting" : " · from cache"
            }
            lines.append(String(line.prefix(160)))
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        drawnLines = lines.count
    }
}
