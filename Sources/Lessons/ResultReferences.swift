// Inline result references: `{{id.field}}` in lesson prose (and captions) is replaced by a number
// or a class name from the result of the directive with that `id` on the same page, so that no
// lesson ever hand-types a number the build computes.
//
// Syntax
//
//   {{id.field}}                      an attack block's result, or a classify block's only image
//   {{id.row.field}}                  a row of a compare block, an image of a classify block,
//                                     or an attack of a transfer block (measured on its source model)
//   {{id.model.field}}                how a transfer block's only attack does on one model
//   {{id.row.model.field}}            how one attack of a transfer block does on one model
//   {{id.row.epsN.field}}             one point of a sweep block with one image (method `row`
//                                     at ε = N/255), or a field over all of a sweep's images
//   {{id.row.epsN.image.field}}       one point of a sweep block with several images
//
// Spaces inside the braces are allowed (`{{ ataque-1.steps }}`). A compare or transfer row is the
// attack's method name when the block uses that method once (`pgd`, `pgd-l2`), or its 1-based
// position (`2`); a classify image is its 1-based position. A model is `lite0` or `lite2`.
// A sweep's ε is `eps` and its grey levels (`eps4`; `eps1_5` for 1.5/255), never a position, so
// that `4` can never be read as "the fourth ε". A sweep's image is its file name without the
// extension (`chelsea`) or its 1-based position.
// In a code span the braces stay as written, which is how a lesson shows the syntax itself.
//
// Fields (see `AttackResultField`, `ClassificationField`, `EvaluationField` for the meaning of each):
//
//   attack rows     steps seconds method queries success success_float
//                   target target_p_before target_p_after target_p_float
//                   original original_p_before original_p_after original_p_float
//                   top1_after top1_after_p linf_grey l2 l2_grey psnr ssim
//                   bound_grey bound_image bound_model
//   classify        top1 top1_p top2 top2_p … (up to the block's `top`)
//   transfer model  top1 top1_p target target_p_before target_p original original_p_before
//                   original_p success
//   sweep, over its images   success_rate successes images target_p_mean
//   sweep, one point         the attack fields
//
// Everything is checked when the lessons are read, before anything runs: an unknown id names the
// nearest id, an unknown field lists the valid ones, and a field that the block cannot have (a
// target probability of an untargeted attack, the bound of an unbounded one) is an error too.
//
// The values themselves are filled in by the site from the results: probabilities as percentages,
// other quantities as bare numbers, in the page's number format ("98,9 %" on a Spanish page).

/// One `{{…}}` reference, checked: which directive, which row, which field.
public struct ResultReference: Hashable, Sendable {
    /// The reference as written between the braces, spaces removed: `ataque-1.target_p_after`.
    /// The site's value table is keyed by it.
    public var text: String
    /// The `id` of the directive it reads.
    public var directiveID: String
    /// Which part of the directive's result.
    public var row: ResultRow
    /// Which value of that part.
    public var field: ResultField
    /// Where the `{{` is in the lesson file.
    public var location: SourceLocation
}

/// The part of a directive's result a reference reads.
public enum ResultRow: Hashable, Sendable {
    /// The attack of an `attack` block.
    case attack
    /// The n-th attack (0-based) of a `compare` or `transfer` block, measured on its own model.
    case attackNumber(Int)
    /// The n-th image (0-based) of a `classify` block.
    case image(Int)
    /// The n-th attack (0-based) of a `transfer` block, evaluated on `model`.
    case evaluation(attack: Int, model: String)
    /// One point of a `sweep` block: 0-based indices of its method, ε and image.
    case sweepPoint(series: Int, epsilon: Int, image: Int)
    /// A method of a `sweep` block at one ε, over all of its images.
    case sweepEpsilon(series: Int, epsilon: Int)
}

/// The value a reference reads.
public enum ResultField: Hashable, Sendable {
    case attack(AttackResultField)
    case classification(ClassificationField)
    case evaluation(EvaluationField)
    case sweep(SweepResultField)

    /// The name written in lessons (`target_p_after`, `top2_p`).
    public var name: String {
        switch self {
        case .attack(let field): return field.rawValue
        case .classification(let field): return field.name
        case .evaluation(let field): return field.rawValue
        case .sweep(let field): return field.rawValue
        }
    }
}

/// The values of one method of a `sweep` at one ε, over all of the block's images, each measured
/// on the saved 8-bit PNGs.
public enum SweepResultField: String, CaseIterable, Hashable, Sendable {
    /// The share of images on which the attack succeeds.
    case successRate = "success_rate"
    /// How many images it succeeds on.
    case successes
    /// How many images the block has.
    case images
    /// The target's mean probability over the images.
    case targetProbabilityMean = "target_p_mean"

    var needsTarget: Bool { self == .targetProbabilityMean }
}

/// The values of one attack's result. Probabilities "after" are measured on the saved 8-bit
/// image unless the name ends in `_float`.
public enum AttackResultField: String, CaseIterable, Hashable, Sendable {
    /// Modifications applied (Adam steps for C&W, iterations for Square).
    case steps
    /// Seconds the attack took.
    case seconds
    /// The method's name (`pgd`).
    case method
    /// Images the network evaluated (gradient and forward passes, the before/after checks included).
    case queries
    /// Whether the saved 8-bit image succeeds: sí/no, yes/no.
    case success
    /// The same test on the float image the optimiser ended with.
    case successFloat = "success_float"
    /// The target class's name.
    case target
    case targetProbabilityBefore = "target_p_before"
    case targetProbabilityAfter = "target_p_after"
    case targetProbabilityFloat = "target_p_float"
    /// The original image's top-1 class.
    case original
    case originalProbabilityBefore = "original_p_before"
    case originalProbabilityAfter = "original_p_after"
    case originalProbabilityFloat = "original_p_float"
    /// The saved image's top-1 class and its probability.
    case topAfter = "top1_after"
    case topAfterProbability = "top1_after_p"
    /// The largest change of any value, in grey levels.
    case linfGreyLevels = "linf_grey"
    /// The L2 norm of the change on the [0,1] scale, and in grey levels.
    case l2
    case l2GreyLevels = "l2_grey"
    /// Peak signal-to-noise ratio in dB.
    case psnr
    /// Structural similarity.
    case ssim
    /// The bound in grey levels, on the [0,1] scale and in model-input units.
    case boundGreyLevels = "bound_grey"
    case boundImageUnits = "bound_image"
    case boundModelUnits = "bound_model"

    /// Whether the field needs a target class.
    var needsTarget: Bool {
        [.target, .targetProbabilityBefore, .targetProbabilityAfter, .targetProbabilityFloat].contains(self)
    }

    /// Whether the field needs a bound.
    var needsBound: Bool {
        [.boundGreyLevels, .boundImageUnits, .boundModelUnits].contains(self)
    }
}

/// A class of a `classify` block's ranking: `top1` (name), `top1_p` (probability), `top2`, …
public enum ClassificationField: Hashable, Sendable {
    /// The name of the class at `rank` (1 = most probable).
    case label(rank: Int)
    /// Its probability.
    case probability(rank: Int)

    public var name: String {
        switch self {
        case .label(let rank): return "top\(rank)"
        case .probability(let rank): return "top\(rank)_p"
        }
    }

    /// `top3` → label 3, `top3_p` → probability 3.
    init?(name: String) {
        guard name.hasPrefix("top") else { return nil }
        var rest = name.dropFirst(3)
        let isProbability = rest.hasSuffix("_p")
        if isProbability { rest = rest.dropLast(2) }
        guard !rest.isEmpty, rest.allSatisfy(\.isASCII), let rank = Int(rest), rank >= 1, String(rank) == rest else {
            return nil
        }
        self = isProbability ? .probability(rank: rank) : .label(rank: rank)
    }

    var rank: Int {
        switch self {
        case .label(let rank), .probability(let rank): return rank
        }
    }
}

/// How an adversarial image made on a transfer block's source model does on one model, measured
/// on the saved 8-bit PNG (resized for the model when its input size differs).
public enum EvaluationField: String, CaseIterable, Hashable, Sendable {
    /// That model's top-1 class for the adversarial image, and its probability.
    case top1
    case top1Probability = "top1_p"
    /// The target class's name; its probability on the original and on the adversarial image.
    case target
    case targetProbabilityBefore = "target_p_before"
    case targetProbability = "target_p"
    /// That model's top-1 class for the original image; its probability before and after.
    case original
    case originalProbabilityBefore = "original_p_before"
    case originalProbability = "original_p"
    /// Targeted: the top-1 is the target; untargeted: the top-1 is no longer the original class.
    case success

    var needsTarget: Bool { [.target, .targetProbabilityBefore, .targetProbability].contains(self) }
}

/// A `{{…}}` found in text, before it is checked.
struct WrittenResultReference {
    /// Inside the braces, spaces removed.
    var text: String
    /// `text` split at dots.
    var segments: [String]
    /// The range of `{{…}}` in the scanned text.
    var range: Range<String.Index>
}

/// Finds `{{…}}` references in a piece of text.
///
/// A `{{…}}` counts as a reference when everything between the braces is letters, digits, `-`,
/// `_`, `.` or spaces; anything else (`{{a+b}}` in a formula) is left as ordinary text.
enum ResultReferenceScanner {
    static func references(in text: String) -> [WrittenResultReference] {
        var found: [WrittenResultReference] = []
        var searchStart = text.startIndex
        while let open = text.range(of: "{{", range: searchStart..<text.endIndex) {
            guard let close = text.range(of: "}}", range: open.upperBound..<text.endIndex) else { break }
            let inner = text[open.upperBound..<close.lowerBound]
            let allowed = inner.unicodeScalars.allSatisfy { scalar in
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || "-_. ".unicodeScalars.contains(scalar)
            }
            let compact = inner.filter { $0 != " " }
            guard allowed, !compact.isEmpty else {
                searchStart = open.upperBound
                continue
            }
            let segments = compact.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            found.append(WrittenResultReference(text: compact, segments: segments, range: open.lowerBound..<close.upperBound))
            searchStart = close.upperBound
        }
        return found
    }
}

/// Checks written references against the directives of their page.
struct ResultReferenceChecker {
    /// The directives of the page that have an `id`, by id.
    let directives: [String: Directive]
    /// Ids declared by blocks with errors: a reference to them is not reported again.
    let brokenIDs: Set<String>
    let log: DiagnosticLog

    /// The checked reference, or nil after logging what is wrong with it.
    func check(_ written: WrittenResultReference, at location: SourceLocation) -> ResultReference? {
        let shown = "{{\(written.text)}}"
        guard let id = written.segments.first, !id.isEmpty, written.segments.allSatisfy({ !$0.isEmpty }) else {
            log.error(location, "\(shown) is not a result reference; write {{id.field}}, e.g. {{ataque-1.steps}}")
            return nil
        }
        guard let directive = directives[id] else {
            if brokenIDs.contains(id) {
                // The block has its own errors, so the rows cannot be checked; a field name that
                // no block of any kind has is still worth saying now.
                if written.segments.count > 1, let field = written.segments.last, !Self.isAnyFieldName(field) {
                    let valid = AttackResultField.allCases.map(\.rawValue)
                    log.error(location, Suggestions.message("unknown field '\(field)' in \(shown)",
                        suggestions: Suggestions.nearest(to: field, among: valid + EvaluationField.allCases.map(\.rawValue),
                                                         limit: 1),
                        choices: "an attack result has \(valid.joined(separator: ", "))"))
                }
                return nil
            }
            let ids = directives.keys.sorted()
            var message = "\(shown) names no directive on this page: no block here has 'id: \(id)'"
            if ids.isEmpty {
                message += "; add an id to the block whose result you mean (e.g. 'id: ataque-1')"
            } else {
                let nearest = Suggestions.nearest(to: id, among: ids, limit: 1)
                let closest = nearest.isEmpty ? Self.closest(to: id, among: ids) : nearest
                message += Suggestions.didYouMean(closest) + " (ids on this page: \(ids.joined(separator: ", ")))"
            }
            log.error(location, message)
            return nil
        }
        if case .diagram = directive.body {
            log.error(location, "\(shown): a diagram block is drawn, not computed, so it has no values; "
                + "link to it with @\(id) instead")
            return nil
        }
        let path = Array(written.segments.dropFirst())
        guard let fieldName = path.last else {
            log.error(location, "\(shown) needs a field after the id, e.g. {{\(id).\(Self.example(for: directive))}}"
                + " (\(Self.fieldList(for: directive.body)))")
            return nil
        }
        let rows = Array(path.dropLast())
        let resolved: (row: ResultRow, field: ResultField)?
        switch directive.body {
        case .attack(let body):
            resolved = checkAttack(body, rows: rows, fieldName: fieldName, shown: shown, location: location)
        case .classify(let body):
            resolved = checkClassify(body, rows: rows, fieldName: fieldName, shown: shown, location: location)
        case .compare(let body):
            resolved = checkCompare(body, rows: rows, fieldName: fieldName, shown: shown, location: location)
        case .transfer(let body):
            resolved = checkTransfer(body, rows: rows, fieldName: fieldName, shown: shown, location: location)
        case .sweep(let body):
            resolved = checkSweep(body, rows: rows, fieldName: fieldName, shown: shown, location: location)
        case .diagram:
            resolved = nil
        }
        guard let resolved else { return nil }
        return ResultReference(text: written.text, directiveID: id, row: resolved.row, field: resolved.field,
                               location: location)
    }

    // MARK: Per kind

    private func checkAttack(_ body: AttackDirective, rows: [String], fieldName: String, shown: String,
                             location: SourceLocation) -> (ResultRow, ResultField)? {
        guard rows.isEmpty else {
            log.error(location, "\(shown): an attack block has one result, so write the field right after the id, "
                + "e.g. {{\(idPart(shown)).\(fieldName)}}")
            return nil
        }
        guard let field = attackField(fieldName, parameters: body.parameters, hasTarget: body.target != nil,
                                      shown: shown, location: location) else { return nil }
        return (.attack, .attack(field))
    }

    private func checkClassify(_ body: ClassifyDirective, rows: [String], fieldName: String, shown: String,
                               location: SourceLocation) -> (ResultRow, ResultField)? {
        var image = 0
        switch rows.count {
        case 0 where body.images.count > 1:
            log.error(location, "\(shown): this classify block has \(body.images.count) images; say which one, "
                + "e.g. {{\(idPart(shown)).1.\(fieldName)}} for \(body.images[0])")
            return nil
        case 0:
            break
        case 1:
            guard let number = Int(rows[0]), (1...body.images.count).contains(number) else {
                log.error(location, "\(shown): '\(rows[0])' is not an image of this classify block; "
                    + "write its position, 1" + (body.images.count > 1 ? " to \(body.images.count)" : ""))
                return nil
            }
            image = number - 1
        default:
            log.error(location, "\(shown) has too many parts; a classify result is {{id.field}} or {{id.image.field}}")
            return nil
        }
        let valid = (1...body.top).flatMap { ["top\($0)", "top\($0)_p"] }
        guard let field = ClassificationField(name: fieldName), field.rank <= body.top else {
            if let field = ClassificationField(name: fieldName) {
                log.error(location, "\(shown): the block lists its top \(body.top) classes, so there is no "
                    + "\(field.name); raise 'top' or use top1…top\(body.top)")
            } else {
                log.error(location, Suggestions.message("unknown field '\(fieldName)' in \(shown)",
                    suggestions: Suggestions.nearest(to: fieldName, among: valid, limit: 1),
                    choices: "a classify result has \(valid.joined(separator: ", "))"))
            }
            return nil
        }
        return (.image(image), .classification(field))
    }

    private func checkCompare(_ body: CompareDirective, rows: [String], fieldName: String, shown: String,
                              location: SourceLocation) -> (ResultRow, ResultField)? {
        let attack: Int
        switch rows.count {
        case 0 where body.attacks.count == 1:
            attack = 0
        case 0:
            log.error(location, "\(shown): this compare block has \(body.attacks.count) attacks; say which, e.g. "
                + "{{\(idPart(shown)).\(Self.rowName(0, in: body.attacks)).\(fieldName)}} "
                + "(\(Self.rowChoices(body.attacks)))")
            return nil
        case 1:
            guard let index = attackRow(rows[0], in: body.attacks, kind: "compare", shown: shown, location: location)
            else { return nil }
            attack = index
        default:
            log.error(location, "\(shown) has too many parts; a compare result is {{id.attack.field}}")
            return nil
        }
        guard let field = attackField(fieldName, parameters: body.attacks[attack], hasTarget: body.target != nil,
                                      shown: shown, location: location) else { return nil }
        return (.attackNumber(attack), .attack(field))
    }

    private func checkTransfer(_ body: TransferDirective, rows: [String], fieldName: String, shown: String,
                               location: SourceLocation) -> (ResultRow, ResultField)? {
        var rows = rows
        var model: String?
        if let last = rows.last, body.models.contains(last) {
            model = last
            rows.removeLast()
        }
        var attack = 0
        switch rows.count {
        case 0 where body.attacks.count > 1:
            log.error(location, "\(shown): this transfer block has \(body.attacks.count) attacks; say which, e.g. "
                + "{{\(idPart(shown)).\(Self.rowName(0, in: body.attacks)).\(model.map { $0 + "." } ?? "")\(fieldName)}} "
                + "(\(Self.rowChoices(body.attacks)))")
            return nil
        case 0:
            break
        case 1:
            guard let index = attackRow(rows[0], in: body.attacks, kind: "transfer", shown: shown, location: location,
                                        models: body.models) else { return nil }
            attack = index
        default:
            log.error(location, "\(shown) has too many parts; a transfer result is {{id.attack.model.field}} "
                + "(models: \(body.models.joined(separator: ", ")))")
            return nil
        }
        guard let model else {
            guard let field = attackField(fieldName, parameters: body.attacks[attack], hasTarget: body.target != nil,
                                          shown: shown, location: location, modelHint: body.models) else { return nil }
            return (.attackNumber(attack), .attack(field))
        }
        let valid = EvaluationField.allCases.map(\.rawValue)
        guard let field = EvaluationField(rawValue: fieldName) else {
            log.error(location, Suggestions.message("unknown field '\(fieldName)' in \(shown)",
                suggestions: Suggestions.nearest(to: fieldName, among: valid, limit: 1),
                choices: "a model of a transfer block has \(valid.joined(separator: ", "))"))
            return nil
        }
        if field.needsTarget, body.target == nil {
            log.error(location, "\(shown): the transfer block has no target, so there is no \(field.rawValue); "
                + "add a target or use original, original_p or top1")
            return nil
        }
        return (.evaluation(attack: attack, model: model), .evaluation(field))
    }

    private func checkSweep(_ body: SweepDirective, rows: [String], fieldName: String, shown: String,
                            location: SourceLocation) -> (ResultRow, ResultField)? {
        let methods = body.series.map(\.attack.settings)
        let tokens = body.epsilons.map(SweepDirective.epsilonToken)
        let example = "{{\(idPart(shown)).\(Self.rowName(0, in: methods)).\(tokens.last ?? "eps4")."
            + (body.images.count > 1 ? "\(Self.imageName(0, in: body.images))." : "")
        guard rows.count == 2 || rows.count == 3 else {
            log.error(location, "\(shown): a sweep result names a method and an ε, "
                + (rows.count > 3 ? "and at most an image: " : "e.g. ") + example + "\(fieldName)}} "
                + "(\(Self.rowChoices(methods)); ε: \(tokens.joined(separator: ", ")))")
            return nil
        }
        guard let series = attackRow(rows[0], in: methods, kind: "sweep", shown: shown, location: location) else {
            return nil
        }
        guard let epsilon = tokens.firstIndex(of: rows[1]) else {
            let list = "this block's: \(tokens.joined(separator: ", "))"
            if Int(rows[1]) != nil || Double(rows[1].replacingOccurrences(of: "_", with: ".")) != nil {
                log.error(location, "\(shown): write the ε as 'eps' and its grey levels, e.g. \(tokens[0]) for "
                    + "\(SweepDirective.writtenEpsilon(body.epsilons[0])) (\(list))")
            } else {
                log.error(location, Suggestions.message("\(shown): the sweep block has no ε '\(rows[1])'",
                    suggestions: Suggestions.closest(to: rows[1], among: tokens), choices: list))
            }
            return nil
        }
        var image: Int?
        if rows.count == 3 {
            guard let index = imageIndex(rows[2], in: body.images, shown: shown, location: location) else { return nil }
            image = index
        }
        if let field = SweepResultField(rawValue: fieldName) {
            if image != nil {
                log.error(location, "\(shown): \(field.rawValue) is over all of the block's images; remove the "
                    + "image, or use success for one image")
                return nil
            }
            if field.needsTarget, body.target == nil {
                log.error(location, "\(shown): the sweep has no target, so there is no \(field.rawValue); "
                    + "use success_rate")
                return nil
            }
            return (.sweepEpsilon(series: series, epsilon: epsilon), .sweep(field))
        }
        if AttackResultField(rawValue: fieldName) != nil, image == nil {
            guard body.images.count == 1 else {
                log.error(location, "\(shown): this sweep has \(body.images.count) images; say which, e.g. "
                    + example + "\(fieldName)}}, or use a field over all of them ("
                    + SweepResultField.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                return nil
            }
            image = 0
        }
        guard AttackResultField(rawValue: fieldName) != nil else {
            let valid = SweepResultField.allCases.map(\.rawValue) + AttackResultField.allCases.map(\.rawValue)
            log.error(location, Suggestions.message("unknown field '\(fieldName)' in \(shown)",
                suggestions: Suggestions.nearest(to: fieldName, among: valid, limit: 1),
                choices: "a sweep has \(SweepResultField.allCases.map(\.rawValue).joined(separator: ", ")) over its "
                    + "images, and a point has \(AttackResultField.allCases.map(\.rawValue).joined(separator: ", "))"))
            return nil
        }
        guard let point = image,
              let field = attackField(fieldName, parameters: body.point(image: point, series: series, epsilon: epsilon)
                .parameters, hasTarget: body.target != nil, shown: shown, location: location) else { return nil }
        return (.sweepPoint(series: series, epsilon: epsilon, image: point), .attack(field))
    }

    /// A sweep's image: its file name without the extension when no other image has it, or its
    /// 1-based position.
    private func imageIndex(_ written: String, in images: [String], shown: String, location: SourceLocation) -> Int? {
        if let number = Int(written) {
            guard (1...images.count).contains(number) else {
                log.error(location, "\(shown): the sweep block has \(images.count) image\(images.count == 1 ? "" : "s"), "
                    + "so there is no image \(number) (\(Self.imageChoices(images)))")
                return nil
            }
            return number - 1
        }
        let stems = images.map(Self.stem)
        let matching = stems.indices.filter { stems[$0] == written }
        if matching.count == 1 { return matching[0] }
        if matching.count > 1 {
            log.error(location, "\(shown): several images of the sweep are called \(written); write the position "
                + "instead (\(Self.imageChoices(images)))")
            return nil
        }
        log.error(location, Suggestions.message("\(shown): the sweep block has no image '\(written)'",
            suggestions: Suggestions.nearest(to: written, among: stems, limit: 1), choices: Self.imageChoices(images)))
        return nil
    }

    /// `images/chelsea.png` → `chelsea`.
    static func stem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// How the n-th image of a sweep is best called in an example.
    static func imageName(_ index: Int, in images: [String]) -> String {
        let stem = Self.stem(images[index])
        let usable = images.filter { Self.stem($0) == stem }.count == 1
            && stem.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0)
                || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0) }
        return usable ? stem : String(index + 1)
    }

    static func imageChoices(_ images: [String]) -> String {
        "images: " + images.indices.map { imageName($0, in: images) }.joined(separator: ", ")
            + (images.count == 1 ? " or 1" : " or 1 to \(images.count)")
    }

    // MARK: Shared

    private func attackField(_ name: String, parameters: AttackParameters, hasTarget: Bool, shown: String,
                             location: SourceLocation, modelHint: [String] = []) -> AttackResultField? {
        let valid = AttackResultField.allCases.map(\.rawValue)
        guard let field = AttackResultField(rawValue: name) else {
            var message = Suggestions.message("unknown field '\(name)' in \(shown)",
                                              suggestions: Suggestions.nearest(to: name, among: valid, limit: 1),
                                              choices: "an attack result has \(valid.joined(separator: ", "))")
            if !modelHint.isEmpty {
                message += "; for one model's result write {{id.<model>.<field>}} with a model of "
                    + modelHint.joined(separator: ", ")
            }
            log.error(location, message)
            return nil
        }
        if field.needsTarget, !hasTarget {
            log.error(location, "\(shown): the attack is untargeted, so there is no \(field.rawValue); "
                + "add a target or use original, original_p_after or top1_after")
            return nil
        }
        if field.needsBound, parameters.isUnbounded {
            log.error(location, "\(shown): the \(parameters.method) attack runs without a bound, so there is no "
                + "\(field.rawValue); use linf_grey for the size of the change it made")
            return nil
        }
        return field
    }

    /// The index of a compare or transfer row: a method name used once in the block, or a
    /// 1-based position.
    private func attackRow(_ written: String, in attacks: [AttackParameters], kind: String, shown: String,
                           location: SourceLocation, models: [String] = []) -> Int? {
        if let number = Int(written) {
            guard (1...attacks.count).contains(number) else {
                log.error(location, "\(shown): the \(kind) block has \(attacks.count) attacks, so there is no "
                    + "attack \(number) (\(Self.rowChoices(attacks)))")
                return nil
            }
            return number - 1
        }
        let matching = attacks.indices.filter { attacks[$0].method == written }
        switch matching.count {
        case 1:
            return matching[0]
        case 0:
            let names = Array(Set(attacks.map(\.method))).sorted() + models
            log.error(location, Suggestions.message("\(shown): the \(kind) block has no attack '\(written)'",
                suggestions: Suggestions.nearest(to: written, among: names, limit: 1),
                choices: Self.rowChoices(attacks) + (models.isEmpty ? "" : "; models: \(models.joined(separator: ", "))")))
            return nil
        default:
            let positions = matching.map { String($0 + 1) }.joined(separator: ", ")
            log.error(location, "\(shown): the \(kind) block uses \(written) \(matching.count) times (attacks "
                + "\(positions)); write the position instead, e.g. {{\(idPart(shown)).\(matching[0] + 1)…}}")
            return nil
        }
    }

    /// What a row may be called: the methods used once, then the positions.
    static func rowChoices(_ attacks: [AttackParameters]) -> String {
        let unique = attacks.map(\.method).filter { name in attacks.filter { $0.method == name }.count == 1 }
        let positions = attacks.count == 1 ? "1" : "1 to \(attacks.count)"
        return unique.isEmpty ? "rows: \(positions)" : "rows: \(unique.joined(separator: ", ")) or \(positions)"
    }

    /// How the n-th attack is best called in an example.
    static func rowName(_ index: Int, in attacks: [AttackParameters]) -> String {
        let method = attacks[index].method
        return attacks.filter { $0.method == method }.count == 1 ? method : String(index + 1)
    }

    static func example(for directive: Directive) -> String {
        switch directive.body {
        case .attack: return "steps"
        case .classify: return "top1"
        case .compare(let body): return rowName(0, in: body.attacks) + ".success"
        case .transfer(let body): return (body.models.first ?? "lite0") + ".top1"
        case .sweep(let body):
            return rowName(0, in: body.series.map(\.attack.settings)) + "."
                + SweepDirective.epsilonToken(body.epsilons.last ?? 4.0 / 255) + ".success_rate"
        case .diagram: return ""
        }
    }

    static func fieldList(for body: DirectiveBody) -> String {
        switch body {
        case .attack, .compare:
            return "fields: " + AttackResultField.allCases.map(\.rawValue).joined(separator: ", ")
        case .classify(let classify):
            return "fields: " + (1...classify.top).flatMap { ["top\($0)", "top\($0)_p"] }.joined(separator: ", ")
        case .transfer:
            return "fields of a model: " + EvaluationField.allCases.map(\.rawValue).joined(separator: ", ")
        case .sweep:
            return "fields over the images: " + SweepResultField.allCases.map(\.rawValue).joined(separator: ", ")
                + "; fields of a point: " + AttackResultField.allCases.map(\.rawValue).joined(separator: ", ")
        case .diagram:
            return "a diagram has no fields"
        }
    }

    /// The id part of a shown reference, for examples.
    private func idPart(_ shown: String) -> String {
        String(shown.dropFirst(2).prefix { $0 != "." && $0 != "}" })
    }

    /// Whether `name` is a field of some kind of result.
    static func isAnyFieldName(_ name: String) -> Bool {
        AttackResultField(rawValue: name) != nil || EvaluationField(rawValue: name) != nil
            || ClassificationField(name: name) != nil || SweepResultField(rawValue: name) != nil
    }

    /// The id with the smallest edit distance, for "did you mean" when none is close enough to
    /// be a plausible typo (the brief asks for the nearest one regardless).
    static func closest(to name: String, among ids: [String]) -> [String] {
        Suggestions.closest(to: name, among: ids)
    }
}
