// Runner: executes a run plan. One job = one distinct computation of the lessons (the Spanish
// and English pages of the same attack share it):
//
//   cache hit  → the verified entry is decoded (result.json + the PNGs beside it)
//   cache miss → the directive runs through Engine and Attacks on this worker's networks; the
//                adversarial PNG is written, read back and classified again (SavedImageCheck);
//                result.json, original.png and adversarial*.png are stored as one entry
//                (a `diagram` runs nothing: its result.json only names the diagram)
//
// A `sweep` job computes nothing: its points are jobs of their own (plain attacks, each cached
// under its own key), which run first; the sweep's record is then assembled from their results.
// A worker's attacks on one image and model share the network's answers at the original
// (OriginalSharingClassifier): a sweep's points do not each classify the photo again.
//
// then each figure the job's directives show is taken from the cache or drawn (Figures) and
// stored. Figures are cached apart from the computation, one entry per figure and language, under
// a key derived from the job's key: a figure's words depend on the page's language, a `show:`
// list can grow without rerunning an attack, and a caption edit touches neither.
//
// Jobs run on `workers` threads; each thread has its own EfficientNetLite instances (they are not
// thread-safe) over weights loaded once and shared.

import Engine
import Figures
import Foundation
import Lessons

/// A figure of a job in one language.
public struct FigureRequest: Hashable, Sendable, Comparable {
    /// The `show:` value (`comparison`, `confidence`, …).
    public var name: String
    /// `es` or `en`: the figure language of the page (see ``FigureLanguage/init(lessonLanguage:)``).
    public var language: String

    public init(name: String, language: String) {
        self.name = name
        self.language = language
    }

    public static func < (left: FigureRequest, right: FigureRequest) -> Bool {
        (left.name, left.language) < (right.name, right.language)
    }
}

/// Everything a job produced, ready for the site.
public struct JobOutput: Sendable {
    public var record: DirectiveResult
    /// The entry's files: `result.json`, `original.png`, `adversarial*.png`, `image-*.png`.
    public var files: [String: [UInt8]]
    /// The figures its directives show, per language.
    public var figures: [FigureRequest: FigureFile]
}

/// What happened to one job, for the summary.
public struct JobReport: Sendable {
    public var key: CacheKey
    public var kind: String
    /// Where the job's first directive is written.
    public var location: SourceLocation
    /// One line naming the computation ("pgd attack on images/chelsea.png with lite0").
    public var summary: String
    /// Whether it was computed (false: taken from the cache).
    public var ran: Bool
    /// Seconds spent computing it (0 from the cache).
    public var seconds: Double
    /// Why the cached entry was not used although one existed (damaged, old format).
    public var cacheNote: String?
    public var figuresDrawn: Int
    public var figuresFromCache: Int
    /// A problem storing into the cache (the result is still used for this build).
    public var cacheWarning: String?
    /// Why the job failed, or nil.
    public var failure: String?
    /// How many jobs this one was assembled from (a sweep's points); 0 for a computation.
    public var assembledFrom: Int = 0
}

/// A live event of a run, delivered from worker threads.
public enum RunEvent: Sendable {
    /// `job` (an index into the plan's jobs) started on `worker`.
    case started(job: Int, worker: Int, computing: Bool)
    case progress(job: Int, worker: Int, JobProgress)
    case finished(job: Int, worker: Int, JobReport)
}

/// The outcome of running a plan.
public struct RunOutcome: Sendable {
    /// The output of every job that succeeded, by key.
    public var outputs: [CacheKey: JobOutput]
    /// One report per job, in plan order.
    public var reports: [JobReport]

    /// The failed jobs' reports.
    public var failures: [JobReport] { reports.filter { $0.failure != nil } }
}

/// Runs the jobs of a plan in parallel, through the cache.
public struct DirectiveRunner: Sendable {
    /// Identifies the computations' code in cache keys; change it when results of the same inputs
    /// change (engine numerics, attack algorithms, the record's layout), so that the cache reruns them.
    public static let computationVersion = "trilobite runner 1 / engine 1 / attacks 1 / result format \(DirectiveResult.currentFormat)"

    public var environment: RunEnvironment
    public var labels: ImageNetLabels
    public var cache: ResultCache
    /// Threads running jobs at once.
    public var workers: Int

    public init(environment: RunEnvironment, labels: ImageNetLabels, cache: ResultCache, workers: Int) {
        self.environment = environment
        self.labels = labels
        self.cache = cache
        self.workers = max(1, workers)
    }

    /// The figures each job must provide: the figure values of its directives' `show:` lists, in
    /// each directive's page language.
    public static func figureRequests(for job: Job, in lessons: LessonSet) -> Set<FigureRequest> {
        var requests: Set<FigureRequest> = []
        for use in job.uses {
            guard let directive = lessons.lesson(use.lesson)?.directives.first(where: { $0.anchor == use.anchor }) else {
                continue
            }
            let language = FigureLanguage(lessonLanguage: use.lesson.language).code
            for name in directive.presentation.show where FigureDrawing.figureNames.contains(name) {
                requests.insert(FigureRequest(name: name, language: language))
            }
        }
        return requests
    }

    /// Runs every job of `plan` (from the cache where possible) and draws their figures.
    /// `events` is called from the worker threads.
    public func run(_ plan: RunPlan, lessons: LessonSet, events: @escaping @Sendable (RunEvent) -> Void = { _ in })
        -> RunOutcome {
        let jobs = plan.jobs
        let requests = jobs.map { Self.figureRequests(for: $0, in: lessons) }
        let store = WeightsStore(files: environment.weightsFiles)
        let collected = Collected(count: jobs.count)
        let scratch = ScratchFolders(parent: cache.folder)
        defer { scratch.removeAll() }

        // Two waves: every computation, then the jobs assembled from them (sweeps), which only
        // read results and draw, so they wait for nothing but the first wave.
        let computations = jobs.indices.filter { jobs[$0].parts.isEmpty }
        let assembled = jobs.indices.filter { !jobs[$0].parts.isEmpty }
        for (number, wave) in [computations, assembled].enumerated() where !wave.isEmpty {
            let parts = number == 1 ? collected.outcome(keys: jobs.map(\.key)).outputs : [:]
            collected.enqueue(wave)
            let workerCount = min(workers, wave.count)
            let group = DispatchGroup()
            for worker in 0..<workerCount {
                group.enter()
                let thread = Thread { [self] in
                    let models = WorkerModels(store: store)
                    while let index = collected.nextJob() {
                        let (output, report) = process(jobs[index], index: index, worker: worker,
                                                       figures: requests[index], models: models, parts: parts,
                                                       scratch: scratch, events: events)
                        collected.store(index, output: output, report: report)
                        events(.finished(job: index, worker: worker, report))
                    }
                    group.leave()
                }
                // Generous: the attacks and figure code keep nothing large on the stack, but a
                // worker's default stack on Linux is only 512 KiB.
                thread.stackSize = 8 << 20
                thread.start()
            }
            group.wait()
        }
        return collected.outcome(keys: jobs.map(\.key))
    }

    // MARK: One job

    /// `parts`: the outputs of the first wave, which a job assembled from others reads.
    private func process(_ job: Job, index: Int, worker: Int, figures: Set<FigureRequest>, models: WorkerModels,
                         parts: [CacheKey: JobOutput], scratch: ScratchFolders,
                         events: @escaping @Sendable (RunEvent) -> Void) -> (JobOutput?, JobReport) {
        let location = job.firstLocation ?? SourceLocation.wholeFile(environment.lessonsRoot)
        var report = JobReport(key: job.key, kind: job.kind, location: location, summary: job.body.summary, ran: false,
                               seconds: 0, cacheNote: nil, figuresDrawn: 0, figuresFromCache: 0, cacheWarning: nil,
                               failure: nil)
        var record: DirectiveResult
        var files: [String: [UInt8]]
        if case .sweep(let sweep) = job.body {
            // Nothing to compute or cache: the points are cached, and assembling them is cheap.
            events(.started(job: index, worker: worker, computing: false))
            report.assembledFrom = job.parts.count
            do {
                record = try SweepAssembly.record(sweep, parts: job.parts, outputs: parts, labels: labels)
                files = [JobComputation.resultFile: try Self.encode(record)]
            } catch {
                report.failure = error.description
                return (nil, report)
            }
        } else if let cached = loadCached(job.key, note: &report.cacheNote) {
            (record, files) = cached
            events(.started(job: index, worker: worker, computing: false))
        } else {
            events(.started(job: index, worker: worker, computing: true))
            let start = ContinuousClock.now
            do {
                let folder = try scratch.folder(for: worker)
                let computation = JobComputation(lessonsRoot: environment.lessonsRoot, labels: labels, models: models,
                                                 scratchFolder: folder) { progress in
                    events(.progress(job: index, worker: worker, progress))
                }
                (record, files) = try computation.compute(job.body)
                files[JobComputation.resultFile] = try Self.encode(record)
            } catch {
                report.failure = error.description
                return (nil, report)
            }
            report.ran = true
            report.seconds = Self.seconds(since: start)
            do {
                try cache.store(job.key, files: files)
            } catch {
                report.cacheWarning = error.description
            }
        }

        var drawn: [FigureRequest: FigureFile] = [:]
        for request in figures.sorted() {
            let key = job.key.derived("figure \(request.name) \(request.language) "
                + FigureDrawing.cacheVersion(for: job.body))
            if let figure = loadCachedFigure(key) {
                drawn[request] = figure
                report.figuresFromCache += 1
                continue
            }
            do {
                let figure = try FigureDrawing.draw(request.name, result: record, files: files,
                                                    language: request.language == "es" ? .spanish : .english)
                drawn[request] = figure
                report.figuresDrawn += 1
                let sidecar = try Self.encode(figure)
                do {
                    try cache.store(key, files: ["figure.png": figure.png, "figure.json": sidecar])
                } catch {
                    report.cacheWarning = error.description
                }
            } catch {
                report.failure = error.description
                return (nil, report)
            }
        }
        return (JobOutput(record: record, files: files, figures: drawn), report)
    }

    /// The cached result of `key`, or nil (with a note when an entry existed but was unusable).
    private func loadCached(_ key: CacheKey, note: inout String?) -> (DirectiveResult, [String: [UInt8]])? {
        guard let entry = cache.lookup(key) else { return nil }
        guard let json = entry.files[JobComputation.resultFile],
              let record = try? JSONDecoder().decode(DirectiveResult.self, from: Data(json)),
              record.format == DirectiveResult.currentFormat else {
            note = "the cached result could not be read; computed again"
            cache.discard(key)
            return nil
        }
        return (record, entry.files)
    }

    private func loadCachedFigure(_ key: CacheKey) -> FigureFile? {
        guard let entry = cache.lookup(key), let png = entry.files["figure.png"], let json = entry.files["figure.json"],
              var figure = try? JSONDecoder().decode(FigureFile.self, from: Data(json)) else { return nil }
        figure.png = png
        return figure
    }

    /// Sorted keys, so that the same record always gives the same bytes.
    static func encode<Value: Encodable>(_ value: Value) throws(RunnerError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(value))
        } catch {
            throw .output("cannot encode the result as JSON: \(error)")
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

/// The jobs' outputs and reports, filled in by the worker threads.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    /// The jobs of the running wave not yet handed out, in plan order.
    private var queue: ArraySlice<Int> = []
    private var outputs: [JobOutput?]
    private var reports: [JobReport?]

    init(count: Int) {
        outputs = Array(repeating: nil, count: count)
        reports = Array(repeating: nil, count: count)
    }

    /// Starts a wave: the workers take `indices` in order.
    func enqueue(_ indices: [Int]) {
        lock.lock()
        defer { lock.unlock() }
        queue = ArraySlice(indices)
    }

    func nextJob() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        return queue.popFirst()
    }

    func store(_ index: Int, output: JobOutput?, report: JobReport) {
        lock.lock()
        defer { lock.unlock() }
        outputs[index] = output
        reports[index] = report
    }

    func outcome(keys: [CacheKey]) -> RunOutcome {
        lock.lock()
        defer { lock.unlock() }
        var byKey: [CacheKey: JobOutput] = [:]
        for (index, output) in outputs.enumerated() {
            if let output { byKey[keys[index]] = output }
        }
        return RunOutcome(outputs: byKey, reports: reports.compactMap { $0 })
    }
}

/// One scratch folder per worker inside the cache folder, named like the cache's own temporary
/// folders (`.tmp-…`) so that one left by a killed build is removed with them.
private final class ScratchFolders: @unchecked Sendable {
    private let parent: String
    private let lock = NSLock()
    private var folders: [Int: String] = [:]

    init(parent: String) {
        self.parent = parent
    }

    func folder(for worker: Int) throws(RunnerError) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let folder = folders[worker] { return folder }
        let folder = parent + "/.tmp-work-\(getpid())-\(worker)-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .output("cannot create the scratch folder \(folder): \(error.localizedDescription)")
        }
        folders[worker] = folder
        return folder
    }

    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for folder in folders.values { try? FileManager.default.removeItem(atPath: folder) }
        folders = [:]
    }
}
