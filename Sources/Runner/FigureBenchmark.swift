import Figures
import Foundation
import Lessons

/// How long each figure kind takes to draw, measured on the real runs a build left in the cache:
/// every cached result is drawn again, in English and Spanish, with each figure it can show,
/// through the same code the build uses (``FigureDrawing/draw(_:result:files:language:)``).
///
/// What a reader of the numbers wants is "is drawing ever the slow part?": so the per-kind
/// figures are medians over the cached results of the median of `iterations` draws, the slowest
/// result is kept beside them, and the attack figures are also summed per attack (all the figures
/// one attack can show, in one language).
public struct FigureBenchmark: Codable, Sendable {
    public struct Kind: Codable, Sendable {
        /// The `show:` value (`comparison`, `noise`, `grid`, …).
        public let name: String
        /// Cached results × languages that drew this figure.
        public let samples: Int
        public let medianMilliseconds: Double
        public let slowestMilliseconds: Double
        /// Logical size (CSS pixels) of the largest figure drawn; the PNG has twice as many.
        public let largestWidth: Double
        public let largestHeight: Double
    }

    public let iterations: Int
    /// Results read from the cache (figure entries and unreadable entries are not counted).
    public let results: Int
    public let kinds: [Kind]
    /// Per attack result and language, the sum of the medians of its ``FigureDrawing/attackFigureNames``.
    public let attackSetMedianMilliseconds: Double?
    public let attackSetSlowestMilliseconds: Double?
    public let attackSets: Int

    /// Measures every cached result in `cacheFolder`.
    public static func run(cacheFolder: String, iterations: Int = 5) throws(RunnerError) -> FigureBenchmark {
        let records = cachedResults(in: cacheFolder)
        guard !records.isEmpty else {
            throw .output("no results in the cache \(cacheFolder): run `trilobite build` first, then benchmark its figures")
        }
        let names = FigureDrawing.figureNames.sorted()
        var timings: [String: [Double]] = [:]
        var largest: [String: (Double, Double)] = [:]
        var attackSets: [Double] = []
        for (record, files) in records {
            for language in [FigureLanguage.english, .spanish] {
                var attackSet = 0.0
                for name in names {
                    // Not every kind of result has every figure; one failed draw says which.
                    guard let figure = try? FigureDrawing.draw(name, result: record, files: files, language: language) else {
                        continue
                    }
                    var samples: [Double] = []
                    for _ in 0..<iterations {
                        let start = ContinuousClock.now
                        _ = try FigureDrawing.draw(name, result: record, files: files, language: language)
                        samples.append(milliseconds(since: start))
                    }
                    let time = median(samples)
                    timings[name, default: []].append(time)
                    let (width, height) = largest[name] ?? (0, 0)
                    largest[name] = (max(width, figure.width), max(height, figure.height))
                    if record.kind == "attack", FigureDrawing.attackFigureNames.contains(name) { attackSet += time }
                }
                if record.kind == "attack" { attackSets.append(attackSet) }
            }
        }
        let kinds = names.compactMap { name -> Kind? in
            guard let times = timings[name] else { return nil }
            let (width, height) = largest[name] ?? (0, 0)
            return Kind(name: name, samples: times.count, medianMilliseconds: median(times),
                        slowestMilliseconds: times.max() ?? 0, largestWidth: width, largestHeight: height)
        }
        return FigureBenchmark(iterations: iterations, results: records.count, kinds: kinds,
                               attackSetMedianMilliseconds: attackSets.isEmpty ? nil : median(attackSets),
                               attackSetSlowestMilliseconds: attackSets.max(), attackSets: attackSets.count)
    }

    /// The computation results among the cache's entries (figure entries have no `result.json`).
    static func cachedResults(in cacheFolder: String) -> [(DirectiveResult, [String: [UInt8]])] {
        let cache = ResultCache(folder: cacheFolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cacheFolder)) ?? []
        var records: [(DirectiveResult, [String: [UInt8]])] = []
        for name in names.sorted() {
            guard let key = CacheKey(hex: name), let entry = cache.lookup(key),
                  let json = entry.files[JobComputation.resultFile],
                  let record = try? JSONDecoder().decode(DirectiveResult.self, from: Data(json)),
                  record.format == DirectiveResult.currentFormat else { continue }
            records.append((record, entry.files))
        }
        return records
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
    }
}
