import Figures
import Foundation

/// How long each figure kind takes to draw, measured on the real runs of a built site: every
/// result the site publishes (`data/<key>.json` with the images in `data/<key>/`) is drawn again,
/// in English and Spanish, with each figure it can show, through the same code the build uses
/// (``FigureDrawing/draw(_:result:files:language:)``). The site rather than the cache, because a
/// sweep's record is assembled from its points at build time and only the site keeps it.
///
/// What a reader of the numbers wants is "is drawing ever the slow part?": so the per-kind
/// figures are medians over the results of the median of `iterations` draws, the slowest
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
    /// Results read from the site.
    public let results: Int
    public let kinds: [Kind]
    /// Per attack result and language, the sum of the medians of its ``FigureDrawing/attackFigureNames``.
    public let attackSetMedianMilliseconds: Double?
    public let attackSetSlowestMilliseconds: Double?
    public let attackSets: Int

    /// Measures every result published in `siteFolder`.
    public static func run(siteFolder: String, iterations: Int = 5) throws(RunnerError) -> FigureBenchmark {
        let records = publishedResults(in: siteFolder)
        guard !records.isEmpty else {
            throw .output("no results in \(siteFolder)/data: run `trilobite build` first, then benchmark its figures")
        }
        let names = FigureDrawing.figureNames.sorted()
        var timings: [String: [Double]] = [:]
        var largest: [String: (Double, Double)] = [:]
        var attackSets: [Double] = []
        for (record, files) in records {
            for language in [FigureLanguage.english, .spanish] {
                var attackSet = 0.0
                var attackSetParts = 0
                for name in names {
                    // Not every kind of result has every figure; one failed draw says which.
                    guard let figure = try? FigureDrawing.draw(name, result: record, files: files, language: language) else {
                        continue
                    }
                    var samples: [Double] = []
                    for _ in 0..<iterations {
                        let start = ContinuousClock.now
                        _ = try FigureDrawing.draw(name, result: record, files: files, language: language)
                        samples.append(DirectiveRunner.seconds(since: start) * 1000)
                    }
                    let time = median(samples)
                    timings[name, default: []].append(time)
                    let (width, height) = largest[name] ?? (0, 0)
                    largest[name] = (max(width, figure.width), max(height, figure.height))
                    if record.kind == "attack", FigureDrawing.attackFigureNames.contains(name) {
                        attackSet += time
                        attackSetParts += 1
                    }
                }
                // A sweep's points are attacks published without their images; they draw nothing.
                if attackSetParts == FigureDrawing.attackFigureNames.count { attackSets.append(attackSet) }
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

    /// The results a site publishes, with the PNGs beside each (figures excluded: they are what
    /// is measured).
    static func publishedResults(in siteFolder: String) -> [(DirectiveResult, [String: [UInt8]])] {
        let data = siteFolder + "/data"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: data)) ?? []
        var records: [(DirectiveResult, [String: [UInt8]])] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            guard let json = FileManager.default.contents(atPath: data + "/" + name),
                  let record = try? JSONDecoder().decode(DirectiveResult.self, from: json),
                  record.format == DirectiveResult.currentFormat else { continue }
            let folder = data + "/" + name.dropLast(".json".count)
            var files: [String: [UInt8]] = [:]
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where file.hasSuffix(".png") && !isFigureFile(file) {
                if let bytes = FileManager.default.contents(atPath: folder + "/" + file) { files[file] = [UInt8](bytes) }
            }
            records.append((record, files))
        }
        return records
    }

    /// `comparison.es.png`: a figure the site published, `<name>.<language>.png`.
    private static func isFigureFile(_ file: String) -> Bool {
        let parts = file.split(separator: ".")
        return parts.count == 3 && FigureDrawing.figureNames.contains(String(parts[0]))
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
