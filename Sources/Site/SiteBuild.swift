// Site: a lessons folder in, a static site out.
//
//   SiteBuild.run
//     1. labels → DirectiveContext; LessonLoader.load   every error, with file:line:column, before
//                                                       anything runs or is written
//     2. SiteWriter.recover; ResultCache.removeLeftovers  clean up after a killed build
//     3. RunPlan.make (FileDigester memo)                one job per distinct computation
//     4. DirectiveRunner.run                              cache hits loaded, misses computed, figures
//     5. SitePages.files                                  pages, theme, data files, in memory
//     6. SiteWriter.write                                 temporary folder, swapped into place
//
// A job that fails stops the build after the others finished (their results are cached) and
// before the site is touched.

import Engine
import Foundation
import Lessons
import Runner

/// Where a build reads and writes.
public struct BuildOptions: Sendable {
    /// The lessons folder (`lessons`).
    public var lessonsFolder: String
    /// The site folder (`site`).
    public var outputFolder: String
    /// The result cache (`.trilobite-cache`).
    public var cacheFolder: String
    /// The folder with `lite0.safetensors`, `lite2.safetensors`, `imagenet_labels.tsv`.
    public var weightsFolder: String
    /// Recompute every result instead of using the cache.
    public var force: Bool
    /// Jobs run at once.
    public var workers: Int

    public init(lessonsFolder: String, outputFolder: String, cacheFolder: String, weightsFolder: String,
                force: Bool = false, workers: Int) {
        self.lessonsFolder = lessonsFolder
        self.outputFolder = outputFolder
        self.cacheFolder = cacheFolder
        self.weightsFolder = weightsFolder
        self.force = force
        self.workers = workers
    }
}

/// Why a build stopped.
public enum BuildError: Error, CustomStringConvertible, Sendable {
    /// The lessons have errors (all of them, with warnings, sorted by position).
    case invalidLessons([Diagnostic])
    /// Weights, labels or an input file could not be read.
    case setup(String)
    /// Some jobs failed; one `file:line:column: error: …` line each.
    case jobsFailed([String])
    /// The site could not be written.
    case site(String)

    public var description: String {
        switch self {
        case .invalidLessons(let diagnostics):
            return diagnostics.map(\.description).joined(separator: "\n")
        case .setup(let message), .site(let message):
            return message
        case .jobsFailed(let lines):
            return lines.joined(separator: "\n")
        }
    }
}

/// A live event of a build.
public enum BuildEvent: Sendable {
    /// The plan is made: `jobs` computations for `directives` directive blocks.
    case planned(jobs: [JobSummary], directives: Int)
    case run(RunEvent)
}

/// A job as progress displays name it.
public struct JobSummary: Sendable {
    public var location: SourceLocation
    public var kind: String
    public var summary: String
}

/// What a build did.
public struct BuildResult: Sendable {
    /// Warnings of the lessons (no errors, or there would be no result).
    public var warnings: [Diagnostic]
    /// Directive blocks in all pages; a job may serve several (the same attack on the Spanish
    /// and English page).
    public var directiveCount: Int
    /// One report per job, in plan order.
    public var reports: [JobReport]
    public var write: SiteWriteReport
    /// Notes about leftovers of killed builds that were cleaned up.
    public var recoveryNotes: [String]
    /// Problems that did not stop the build (a cache entry that could not be stored).
    public var cacheWarnings: [String]
}

/// Builds the site; see the file's header for the steps.
public enum SiteBuild {
    /// Runs a build.
    ///
    /// - Parameters:
    ///   - displayRoot: how the lessons folder appears in diagnostics (`lessons`).
    ///   - beforeWriting: called with the site's files before they are written (tests use it).
    ///   - afterWritingFile: passed to ``SiteWriter/write(_:afterWritingFile:)``.
    public static func run(_ options: BuildOptions, displayRoot: String? = nil,
                           events: @escaping @Sendable (BuildEvent) -> Void = { _ in },
                           afterWritingFile: (String) throws -> Void = { _ in }) throws(BuildError) -> BuildResult {
        let labelsFile = options.weightsFolder + "/imagenet_labels.tsv"
        let labels: ImageNetLabels
        do {
            labels = try ImageNetLabels(contentsOf: labelsFile)
        } catch {
            throw .setup("\(error)")
        }

        // 1. Everything is read and checked before anything is computed or written.
        let context = DirectiveContext(lessonsRoot: options.lessonsFolder, resolveClass: classResolver(labels))
        let loaded = LessonLoader.load(context: context, displayRoot: displayRoot)
        guard let lessons = loaded.lessons, !loaded.diagnostics.containsErrors else {
            throw .invalidLessons(loaded.diagnostics)
        }
        let writer = SiteWriter(output: options.outputFolder)
        do {
            try writer.checkOutput(lessonsFolder: options.lessonsFolder)
        } catch {
            throw .site(error.description)
        }

        // 2. Leftovers of killed builds.
        let recoveryNotes = writer.recover()
        let cache = ResultCache(folder: options.cacheFolder, force: options.force)
        cache.removeLeftovers()

        // 3. The plan.
        let environment = RunEnvironment(
            lessonsRoot: options.lessonsFolder, engineVersion: DirectiveRunner.computationVersion,
            weightsFiles: ["lite0": options.weightsFolder + "/lite0.safetensors",
                           "lite2": options.weightsFolder + "/lite2.safetensors"],
            labelsFile: labelsFile)
        let digester = FileDigester(indexFile: cache.digestIndexFile)
        let plan: RunPlan
        do {
            plan = try RunPlan.make(lessons: lessons, environment: environment, digester: digester)
        } catch {
            throw .setup(error.description)
        }
        var cacheWarnings: [String] = []
        do {
            try digester.save()
        } catch {
            cacheWarnings.append(error.description)
        }
        events(.planned(jobs: plan.jobs.map { job in
            JobSummary(location: job.firstLocation ?? .wholeFile(options.lessonsFolder), kind: job.kind,
                       summary: job.body.summary)
        }, directives: plan.directiveCount))

        // 4. The computations and figures.
        let runner = DirectiveRunner(environment: environment, labels: labels, cache: cache, workers: options.workers)
        let outcome = runner.run(plan, lessons: lessons) { events(.run($0)) }
        cacheWarnings += outcome.reports.compactMap(\.cacheWarning)
        let failures = outcome.failures
        guard failures.isEmpty else {
            throw .jobsFailed(failures.map { "\($0.location): error: \($0.summary): \($0.failure ?? "failed")" })
        }

        // 5–6. The pages, written as a whole.
        let files: SiteFiles
        do {
            files = try SitePages(lessons: lessons, plan: plan, outputs: outcome.outputs).files()
        } catch {
            throw .site(error.description)
        }
        let report: SiteWriteReport
        do {
            report = try writer.write(files, afterWritingFile: afterWritingFile)
        } catch {
            throw .site(error.description)
        }
        return BuildResult(warnings: loaded.warnings, directiveCount: plan.directiveCount, reports: outcome.reports,
                           write: report, recoveryNotes: recoveryNotes, cacheWarnings: cacheWarnings)
    }

    /// The engine's class list as the lessons' resolver: a name, WordNet id or index to a class
    /// index, or the nearest names when it is unknown.
    public static func classResolver(_ labels: ImageNetLabels) -> @Sendable (String) -> Result<Int, UnknownClass> {
        { name in
            do {
                return .success(try labels.resolve(name))
            } catch EngineError.unknownClass(_, let suggestions) {
                let isNumber = Int(name.trimmingCharacters(in: .whitespaces)) != nil
                return .failure(UnknownClass(suggestions: isNumber ? [] : suggestions,
                                             reason: isNumber ? "the classes are numbered 0 to \(labels.count - 1)" : nil))
            } catch {
                return .failure(UnknownClass(suggestions: [], reason: "\(error)"))
            }
        }
    }
}
