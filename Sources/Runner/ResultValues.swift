import Attacks
import Figures
import Lessons

/// A value a `{{id.field}}` reference reads from a result, before it is formatted for a page.
public enum ResultValue: Hashable, Sendable {
    /// A whole number (steps, queries, grey levels).
    case count(Int)
    /// Seconds, written with two decimals.
    case seconds(Double)
    /// A probability, written as a percentage ("98,9 %").
    case probability(Double)
    /// A number with a fixed number of decimals.
    case decimal(Double, places: Int)
    /// A number written as simply as it allows ("2", "1,28").
    case compact(Double)
    /// A class or method name.
    case text(String)
    /// sí/no, yes/no.
    case yesNo(Bool)
    /// PSNR in dB; nil (identical images) is written "∞".
    case decibels(Double?)

    /// The value as a page in `language` writes it: decimal comma and "98,9 %" in Spanish.
    public func formatted(_ language: FigureLanguage) -> String {
        switch self {
        case .count(let value): return String(value)
        case .seconds(let value): return language.decimal(value, decimals: 2)
        case .probability(let value): return language.percent(value)
        case .decimal(let value, let places): return language.decimal(value, decimals: places)
        case .compact(let value):
            let rounded = (value * 1000).rounded() / 1000
            if abs(rounded - rounded.rounded()) < 1e-9 { return language.decimal(rounded, decimals: 0) }
            if abs(rounded * 100 - (rounded * 100).rounded()) < 1e-9 { return language.compact(rounded) }
            return language.decimal(rounded, decimals: 3)
        case .text(let text): return text
        case .yesNo(let value): return language.yesNo(value)
        case .decibels(let value): return value.map { language.decimal($0, decimals: 1) } ?? "∞"
        }
    }
}

extension DirectiveResult {
    /// The value a checked reference reads, or nil when the result has no such part (a result
    /// computed for a different directive than the reference was checked against, which the
    /// cache keys rule out).
    public func value(_ row: ResultRow, _ field: ResultField) -> ResultValue? {
        switch (row, field) {
        case (.attack, .attack(let field)):
            return attack.flatMap { $0.value(field) }
        case (.attackNumber(let index), .attack(let field)):
            let records = attacks
            return records.indices.contains(index) ? records[index].value(field) : nil
        case (.image(let index), .classification(let field)):
            guard let images = classification, images.indices.contains(index) else { return nil }
            let top = images[index].top
            switch field {
            case .label(let rank): return top.indices.contains(rank - 1) ? .text(top[rank - 1].label) : nil
            case .probability(let rank):
                return top.indices.contains(rank - 1) ? .probability(Double(top[rank - 1].probability)) : nil
            }
        case (.sweepPoint(let series, let epsilon, let image), .attack(let field)):
            return sweep?.point(image: image, series: series, epsilon: epsilon)?.attack.value(field)
        case (.sweepEpsilon(let series, let epsilon), .sweep(let field)):
            guard let sweep, sweep.methods.indices.contains(series), sweep.epsilons.indices.contains(epsilon) else {
                return nil
            }
            return sweep.value(field, series: series, epsilon: epsilon)
        case (.evaluation(let attack, let model), .evaluation(let field)):
            guard let transfer, transfer.evaluations.indices.contains(attack),
                  let evaluation = transfer.evaluations[attack].first(where: { $0.model == model }) else { return nil }
            return evaluation.value(field, target: target)
        default:
            return nil
        }
    }
}

extension AttackRecord {
    /// The value of one attack field.
    public func value(_ field: AttackResultField) -> ResultValue? {
        let summary = self.summary
        let metrics = summary.metrics
        switch field {
        case .steps: return .count(summary.steps)
        case .seconds: return .seconds(summary.wallTimeSeconds)
        case .method: return .text(summary.method)
        case .queries: return .count(summary.queries.gradientImages + summary.queries.forwardImages)
        case .success: return .yesNo(summary.success)
        case .successFloat: return .yesNo(summary.successFloat)
        case .target: return summary.target.map { .text($0.label) }
        case .targetProbabilityBefore: return targetProbabilityBefore.map { .probability(Double($0)) }
        case .targetProbabilityAfter: return summary.targetProbabilityAfter.map { .probability(Double($0)) }
        case .targetProbabilityFloat: return summary.targetProbabilityAfterFloat.map { .probability(Double($0)) }
        case .original: return .text(summary.originalClass.label)
        case .originalProbabilityBefore: return .probability(Double(summary.originalClass.probability))
        case .originalProbabilityAfter: return .probability(Double(summary.originalClassProbabilityAfter))
        case .originalProbabilityFloat: return .probability(Double(originalClassProbabilityAfterFloat))
        case .topAfter: return summary.top5After.first.map { .text($0.label) }
        case .topAfterProbability: return summary.top5After.first.map { .probability(Double($0.probability)) }
        case .linfGreyLevels: return .count(metrics.linfGreyLevels)
        case .l2: return .decimal(metrics.l2, places: 3)
        case .l2GreyLevels: return .decimal(metrics.l2GreyLevels, places: 1)
        case .psnr: return .decibels(metrics.psnr)
        case .ssim: return metrics.ssim.map { .decimal($0, places: 4) }
        case .boundGreyLevels: return summary.bound.map { .compact($0.greyLevels) }
        case .boundImageUnits: return summary.bound.map { .decimal($0.imageUnits, places: 4) }
        case .boundModelUnits: return summary.bound.map { .compact($0.modelUnits) }
        }
    }
}

extension ModelEvaluation {
    /// The value of one field of a model's evaluation.
    public func value(_ field: EvaluationField, target: ClassName?) -> ResultValue? {
        switch field {
        case .top1: return top5After.first.map { .text($0.label) }
        case .top1Probability: return top5After.first.map { .probability(Double($0.probability)) }
        case .target: return target.map { .text($0.label) }
        case .targetProbabilityBefore: return targetProbabilityBefore.map { .probability(Double($0)) }
        case .targetProbability: return targetProbabilityAfter.map { .probability(Double($0)) }
        case .original: return .text(originalClass.label)
        case .originalProbabilityBefore: return .probability(Double(originalClass.probability))
        case .originalProbability: return .probability(Double(originalClassProbabilityAfter))
        case .success: return .yesNo(success)
        }
    }
}
