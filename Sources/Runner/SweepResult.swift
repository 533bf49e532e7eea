import Attacks
import Engine
import Figures
import Lessons

/// A `sweep` block's result: every point's attack, assembled from the points' own jobs.
///
/// Every number is the point's `AttackRecord`, measured on its saved 8-bit PNG; the sweep adds
/// nothing but the arrangement (which image, method and ε each point is) and the sums over images.
public struct SweepRecord: Codable, Sendable {
    /// One line of the chart.
    public struct Method: Codable, Sendable, Equatable {
        /// `pgd`, `fgsm`, …
        public var method: String
        /// The lesson's label, or nil for the method's display name.
        public var label: String?

        /// The legend's text on a page in `language`.
        public func name(_ language: FigureLanguage) -> String {
            label ?? MethodNames.display(method, language: language)
        }
    }

    /// One (image, method, ε) point.
    public struct Point: Codable, Sendable {
        /// 0-based indices into ``SweepRecord/images``, ``SweepRecord/methods`` and ``SweepRecord/epsilons``.
        public var image: Int
        public var series: Int
        public var epsilon: Int
        /// The hex key of the point's own job, whose data folder holds its adversarial PNG.
        public var key: String
        public var attack: AttackRecord
    }

    /// Lesson-relative images, in the order written.
    public var images: [String]
    public var methods: [Method]
    /// L∞ bounds on the [0,1] scale, in the order written.
    public var epsilons: [Double]
    /// `target-probability` or `success-rate`.
    public var quantity: String
    /// `linear` or `log`.
    public var scale: String
    public var points: [Point]

    /// The point at the given indices.
    public func point(image: Int, series: Int, epsilon: Int) -> Point? {
        points.first { $0.image == image && $0.series == series && $0.epsilon == epsilon }
    }

    /// The points of one method at one ε, one per image, in image order.
    public func points(series: Int, epsilon: Int) -> [Point] {
        points.filter { $0.series == series && $0.epsilon == epsilon }.sorted { $0.image < $1.image }
    }

    /// Images on which the saved PNG succeeds, for one method at one ε.
    public func successes(series: Int, epsilon: Int) -> Int {
        points(series: series, epsilon: epsilon).filter { $0.attack.summary.success }.count
    }

    /// The share of images on which it succeeds (0 when there is no point).
    public func successRate(series: Int, epsilon: Int) -> Double {
        let count = points(series: series, epsilon: epsilon).count
        return count == 0 ? 0 : Double(successes(series: series, epsilon: epsilon)) / Double(count)
    }

    /// The target's mean probability on the saved PNGs; nil when untargeted.
    public func meanTargetProbability(series: Int, epsilon: Int) -> Double? {
        let values = points(series: series, epsilon: epsilon).compactMap { $0.attack.summary.targetProbabilityAfter }
        guard !values.isEmpty else { return nil }
        return values.reduce(0) { $0 + Double($1) } / Double(values.count)
    }

    /// ε in grey levels, as the chart's x axis has it.
    public func greyLevels(_ epsilon: Int) -> Double { epsilons[epsilon] * 255 }

    /// "4/255".
    public func epsilonText(_ epsilon: Int) -> String { SweepDirective.writtenEpsilon(epsilons[epsilon]) }

    /// The value of a sweep field for one method at one ε.
    public func value(_ field: SweepResultField, series: Int, epsilon: Int) -> ResultValue? {
        switch field {
        case .successRate: return .probability(successRate(series: series, epsilon: epsilon))
        case .successes: return .count(successes(series: series, epsilon: epsilon))
        case .images: return .count(points(series: series, epsilon: epsilon).count)
        case .targetProbabilityMean: return meanTargetProbability(series: series, epsilon: epsilon).map(ResultValue.probability)
        }
    }
}

/// Turns the points' results into a sweep's record, and the record into its chart and table.
public enum SweepAssembly {
    /// The record of `sweep` from the results of its points; `parts` are the points' keys in
    /// the order of ``SweepDirective/pointIndices`` (``Job/parts``).
    public static func record(_ sweep: SweepDirective, parts: [CacheKey], outputs: [CacheKey: JobOutput],
                              labels: ImageNetLabels) throws(RunnerError) -> DirectiveResult {
        let indices = sweep.pointIndices
        guard indices.count == parts.count else {
            throw .output("the sweep has \(indices.count) points but the plan gave it \(parts.count) computations")
        }
        var points: [SweepRecord.Point] = []
        var missing = 0
        for (index, key) in zip(indices, parts) {
            guard let attack = outputs[key]?.record.attack else {
                missing += 1
                continue
            }
            points.append(SweepRecord.Point(image: index.image, series: index.series, epsilon: index.epsilon,
                                            key: key.hex, attack: attack))
        }
        guard missing == 0 else {
            throw .attack("\(missing) of the sweep's \(parts.count) points failed (their errors are listed with "
                + "their own lines)")
        }
        var result = DirectiveResult(kind: "sweep", image: sweep.images.first ?? "", model: sweep.model,
                                     target: sweep.target.map { ClassName(index: $0.index, label: labels.label($0.index)) })
        result.sweep = SweepRecord(images: sweep.images,
                                   methods: sweep.series.map { SweepRecord.Method(method: $0.method, label: $0.label) },
                                   epsilons: sweep.epsilons, quantity: sweep.quantity.rawValue,
                                   scale: sweep.scale.rawValue, points: points)
        return result
    }

    /// The chart's lines: per method, the target probability on the saved PNG with its success
    /// (one image), the mean target probability (several), or the success rate.
    public static func chartSeries(_ sweep: SweepRecord, language: FigureLanguage) -> [SweepChart.Series] {
        sweep.methods.indices.map { series in
            let samples = sweep.epsilons.indices.map { epsilon -> SweepChart.Sample in
                let greyLevels = sweep.greyLevels(epsilon)
                let points = sweep.points(series: series, epsilon: epsilon)
                if sweep.quantity == SweepDirective.Quantity.successRate.rawValue {
                    return SweepChart.Sample(epsilon: greyLevels, value: sweep.successRate(series: series, epsilon: epsilon))
                }
                let mean = sweep.meanTargetProbability(series: series, epsilon: epsilon) ?? 0
                // One image: the mark says whether that image's PNG succeeds.
                let succeeded = points.count == 1 ? points[0].attack.summary.success : nil
                return SweepChart.Sample(epsilon: greyLevels, value: mean, succeeded: succeeded)
            }
            return SweepChart.Series(name: sweep.methods[series].name(language), samples: samples)
        }
    }

    /// The chart of `result`, in `style`'s language.
    static func chart(_ result: DirectiveResult, style: FigureStyle) throws -> SweepChart {
        guard let sweep = result.sweep else { throw RunnerError.figure(name: "chart", reason: "the result has no sweep") }
        let language = style.language
        let series = chartSeries(sweep, language: language)
        let targetProbability = sweep.quantity == SweepDirective.Quantity.targetProbability.rawValue
        var scale = ProbabilityScale.linear
        if sweep.scale == SweepDirective.Scale.log.rawValue {
            // Down to the smallest value drawn, so that nothing sits on the axis' floor unseen.
            let smallest = series.flatMap { $0.samples.map(\.value) }.filter { $0 > 0 }.min() ?? 1e-3
            scale = .logarithmic(minimum: max(1e-6, min(0.1, smallest)))
        }
        var labels = SweepChart.Labels(language: language)
        let images = sweep.images.count
        if let target = result.target?.label {
            labels.targetProbability = images == 1
                ? (language == .spanish ? "P(\(target)) en el PNG guardado" : "P(\(target)) on the saved PNG")
                : (language == .spanish ? "P(\(target)) media, \(images) imágenes" : "Mean P(\(target)), \(images) images")
        }
        if images > 1 {
            labels.successRate = language == .spanish ? "Tasa de éxito (\(images) imágenes)"
                : "Success rate (\(images) images)"
        }
        return SweepChart(series: series, quantity: targetProbability ? .targetProbability : .successRate,
                          scale: scale, labels: labels, style: style)
    }
}

/// A sweep's table: one row per method (and per image and method when there are several images),
/// one column per ε, every cell read from the points' records.
public struct SweepTable: Sendable {
    /// One cell: one point, or one method at one ε over every image.
    public struct Cell: Sendable, Equatable {
        /// The target's probability on the saved PNG (the mean over images in a summary row);
        /// nil when untargeted.
        public var targetProbability: Double?
        /// Images on which the saved PNG succeeds, out of `images`.
        public var successes: Int
        public var images: Int
        /// The point's job key (its adversarial PNG's folder), for a single point.
        public var pointKey: String?
        /// The point's adversarial PNG file name, for a single point.
        public var adversarialFile: String?
    }

    public struct Row: Sendable {
        public var series: Int
        /// nil in a summary row over every image.
        public var image: Int?
        public var cells: [Cell]
    }

    /// One row per method: each point (one image) or the sums over the images (several).
    public var summary: [Row]
    /// With several images: one row per image and method.
    public var details: [Row]

    public init(_ sweep: SweepRecord) {
        let images = sweep.images.count
        func pointCell(_ point: SweepRecord.Point?) -> Cell {
            guard let point else { return Cell(targetProbability: nil, successes: 0, images: 0) }
            return Cell(targetProbability: point.attack.summary.targetProbabilityAfter.map(Double.init),
                        successes: point.attack.summary.success ? 1 : 0, images: 1, pointKey: point.key,
                        adversarialFile: point.attack.adversarialFile)
        }
        summary = sweep.methods.indices.map { series in
            Row(series: series, image: images == 1 ? 0 : nil, cells: sweep.epsilons.indices.map { epsilon in
                if images == 1 { return pointCell(sweep.point(image: 0, series: series, epsilon: epsilon)) }
                return Cell(targetProbability: sweep.meanTargetProbability(series: series, epsilon: epsilon),
                            successes: sweep.successes(series: series, epsilon: epsilon),
                            images: sweep.points(series: series, epsilon: epsilon).count)
            })
        }
        details = images == 1 ? [] : sweep.images.indices.flatMap { image in
            sweep.methods.indices.map { series in
                Row(series: series, image: image, cells: sweep.epsilons.indices.map { epsilon in
                    pointCell(sweep.point(image: image, series: series, epsilon: epsilon))
                })
            }
        }
    }
}
