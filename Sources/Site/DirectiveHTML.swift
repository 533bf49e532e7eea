import Attacks
import Figures
import Lessons
import Runner

/// One directive as a `<figure>`: its images in `show:` order, the talk's console and result
/// tables where asked for, the numbered caption, and download links for the adversarial PNGs and
/// the result JSON.
struct DirectiveHTML {
    let directive: Directive
    /// The page's lesson, for its figure word ("Figura 3").
    let lesson: Lesson
    let job: Job
    let output: JobOutput
    let words: SiteWords
    /// The figure language's code (`es`, `en`), which picks the figure files.
    let figureLanguage: String
    /// Formatted `{{…}}` values of the page, for the caption.
    let resultValues: [String: String]
    /// From the page to the site's root: `../`.
    let rootPath: String

    private var language: FigureLanguage { words.language }
    private var record: DirectiveResult { output.record }

    func html() -> String {
        var html = HTMLWriter()
        html.line("<figure class=\"directive directive-\(HTML.attribute(directive.kind))\" id=\"\(HTML.attribute(directive.anchor))\">")
        var images: [String] = []
        var blocks: [String] = []
        func flushImages() {
            guard !images.isEmpty else { return }
            blocks.append("<div class=\"figure-images\">\n" + images.joined(separator: "\n") + "\n</div>")
            images = []
        }
        for name in directive.presentation.show {
            if FigureDrawing.figureNames.contains(name) {
                if let image = imageHTML(name) { images.append(image) }
                continue
            }
            flushImages()
            switch name {
            case "log": blocks.append(consoleHTML())
            case "table": blocks.append(tableHTML())
            default: break
            }
        }
        flushImages()
        for block in blocks { html.line(block) }
        if let caption = captionHTML() { html.line(caption) }
        // A diagram has no adversarial image and no result worth downloading.
        if directive.body.runsNetwork { html.line(downloadsHTML()) }
        html.line("</figure>")
        return html.output
    }

    // MARK: Parts

    /// The site path of a file of this job's data folder.
    static func dataPath(_ key: CacheKey, _ file: String) -> String { "data/\(key.hex)/\(file)" }

    /// The figure's file name in the job's data folder.
    static func figureFile(_ request: FigureRequest) -> String { "\(request.name).\(request.language).png" }

    private func imageHTML(_ name: String) -> String? {
        let request = FigureRequest(name: name, language: figureLanguage)
        guard let figure = output.figures[request] else { return nil }
        let alt = directive.presentation.alt ?? figure.altText
        let source = rootPath + Self.dataPath(job.key, Self.figureFile(request))
        return "<img class=\"figure-image figure-\(HTML.attribute(name))\" src=\"\(HTML.attribute(source))\" "
            + "width=\"\(Int(figure.width.rounded()))\" height=\"\(Int(figure.height.rounded()))\" "
            + "alt=\"\(HTML.attribute(alt))\">"
    }

    private func captionHTML() -> String? {
        let caption = directive.captionHTML(resultValues: resultValues)
        guard caption != nil || directive.figureNumber != nil else { return nil }
        var html = "<figcaption>"
        if let number = directive.figureNumber {
            html += "<span class=\"figure-label\">\(HTML.text(lesson.figureLabel(number)))"
            html += caption == nil ? "</span>" : ":</span> "
        }
        html += caption ?? ""
        html += "</figcaption>"
        return html
    }

    private func downloadsHTML() -> String {
        var links: [String] = []
        let attacks = record.attacks
        for record in attacks {
            let path = rootPath + Self.dataPath(job.key, record.adversarialFile)
            let label = attacks.count == 1 ? words.adversarialPNG
                : words.adversarialPNG(MethodNames.withBound(record, language: language))
            let saveAs = "\(directive.anchor)-\(record.adversarialFile)"
            links.append("<a href=\"\(HTML.attribute(path))\" download=\"\(HTML.attribute(saveAs))\">\(HTML.text(label))</a>")
        }
        // A sweep's own picture is its chart; its points' PNGs are linked from its table.
        if record.kind == "sweep", directive.presentation.show.contains("chart"),
           output.figures[FigureRequest(name: "chart", language: figureLanguage)] != nil {
            let request = FigureRequest(name: "chart", language: figureLanguage)
            let path = rootPath + Self.dataPath(job.key, Self.figureFile(request))
            links.append("<a href=\"\(HTML.attribute(path))\" download=\"\(HTML.attribute("\(directive.anchor)-chart.\(figureLanguage).png"))\">"
                + "\(HTML.text(words.chartPNG))</a>")
        }
        let json = rootPath + "data/\(job.key.hex).json"
        links.append("<a href=\"\(HTML.attribute(json))\" type=\"application/json\">\(HTML.text(words.resultJSON))</a>")
        return "<p class=\"downloads\"><span>\(HTML.text(words.download))</span> " + links.joined(separator: " ") + "</p>"
    }

    private func consoleHTML() -> String {
        record.attacks.map { attack in
            let lines = ConsoleLog.lines(for: attack, language: language)
            let title = record.attacks.count > 1
                ? "\(words.consoleTitle) — \(MethodNames.withBound(attack, language: language))" : words.consoleTitle
            return "<div class=\"console\"><p class=\"console-title\">\(HTML.text(title))</p>"
                + "<pre tabindex=\"0\"><code>\(HTML.text(lines.joined(separator: "\n")))</code></pre></div>"
        }.joined(separator: "\n")
    }

    // MARK: Tables

    private func tableHTML() -> String {
        switch record.kind {
        case "attack": return record.attack.map(attackTables) ?? ""
        case "compare": return compareTable()
        case "transfer": return transferTable()
        case "classify": return classifyTables()
        case "sweep": return sweepTables()
        default: return ""
        }
    }

    private func number(_ value: ResultValue?) -> String {
        HTML.text(value?.formatted(language) ?? "–")
    }

    private func yesNo(_ value: Bool) -> String {
        "<span class=\"\(value ? "yes" : "no")\">\(HTML.text(language.yesNo(value)))</span>"
    }

    private func boundText(_ attack: AttackRecord) -> String {
        guard let bound = attack.summary.bound else { return words.unbounded }
        let norm = bound.norm == .linf ? "L∞" : "L2"
        return words.boundText(norm: norm, grey: ResultValue.compact(bound.greyLevels).formatted(language),
                               image: ResultValue.decimal(bound.imageUnits, places: 4).formatted(language),
                               model: ResultValue.decimal(bound.modelUnits, places: 4).formatted(language))
    }

    private func attackTables(_ attack: AttackRecord) -> String {
        let summary = attack.summary
        func row(_ header: String, _ value: String) -> String {
            "<tr><th scope=\"row\">\(HTML.text(header))</th><td>\(value)</td></tr>"
        }
        var rows: [String] = []
        rows.append(row(words.method, HTML.text(MethodNames.display(summary.method, language: language)
            + " · " + MethodNames.model(summary.model))))
        if let target = summary.target {
            rows.append(row(words.targetClass, HTML.text("\(target.label) (\(target.index))")))
        }
        rows.append(row(words.bound, HTML.text(boundText(attack))))
        rows.append(row(words.steps, number(attack.value(.steps)) + " (" + HTML.text(words.stopReason(summary.stopReason)) + ")"))
        rows.append(row(words.time, number(attack.value(.seconds)) + " s"))
        rows.append(row(words.linf, number(attack.value(.linfGreyLevels))))
        rows.append(row(words.l2, number(attack.value(.l2))))
        rows.append(row(words.psnr, number(attack.value(.psnr)) + " dB"))
        rows.append(row(words.ssim, number(attack.value(.ssim))))
        rows.append(row(words.queries, number(attack.value(.queries))))
        rows.append(row(words.success, yesNo(summary.success)))
        rows.append(row(words.savedCheck, HTML.text(attack.savedImageCheck.matchesResult ? words.savedMatches : words.savedDiffers)))
        var html = "<p class=\"figure-table-title\">\(HTML.text(words.metricsTitle))</p>\n"
        html += "<div class=\"table-wrap\"><table class=\"results attack-results\"><tbody>\n"
            + rows.joined(separator: "\n") + "\n</tbody></table></div>\n"
        html += top5Table(before: attack.top5Before, after: attack.top5After, target: summary.target?.index,
                          original: summary.originalClass.index, targetLabel: summary.target?.label,
                          targetBefore: attack.targetProbabilityBefore, targetAfter: summary.targetProbabilityAfter)
        return html
    }

    /// Top-5 before and after side by side; the target's cells are highlighted and tagged in
    /// words as well as colour.
    private func top5Table(before: [RankedClass], after: [RankedClass], target: Int?, original: Int,
                           targetLabel: String?, targetBefore: Float?, targetAfter: Float?) -> String {
        func cells(_ ranked: RankedClass?) -> String {
            guard let ranked else { return "<td></td><td></td>" }
            let isTarget = ranked.index == target
            var name = HTML.text(ranked.label)
            if isTarget { name += "<span class=\"tag tag-target\">\(HTML.text(words.targetTag))</span>" }
            if ranked.index == original, !isTarget {
                name += "<span class=\"tag tag-original\">\(HTML.text(words.originalTag))</span>"
            }
            let highlight = isTarget ? " class=\"is-target\"" : ""
            let probability = HTML.text(language.percent(Double(ranked.probability)))
            return "<td\(highlight)>\(name)</td><td class=\"number\(isTarget ? " is-target" : "")\">\(probability)</td>"
        }
        var html = "<p class=\"figure-table-title\">\(HTML.text(words.top5Title))</p>\n"
        html += "<div class=\"table-wrap\"><table class=\"results top5\"><thead><tr><th class=\"number\">#</th>"
            + "<th colspan=\"2\">\(HTML.text(words.before))</th><th colspan=\"2\">\(HTML.text(words.after))</th></tr></thead><tbody>\n"
        for rank in 0..<max(before.count, after.count) {
            html += "<tr><td class=\"number\">\(rank + 1)</td>" + cells(before.indices.contains(rank) ? before[rank] : nil)
                + cells(after.indices.contains(rank) ? after[rank] : nil) + "</tr>\n"
        }
        html += "</tbody>"
        // A target outside both top-5 lists still gets its row: it is the number the attack moves.
        if let target, let targetBefore, let targetAfter,
           !before.contains(where: { $0.index == target }) || !after.contains(where: { $0.index == target }) {
            let name = HTML.text(targetLabel ?? "") + "<span class=\"tag tag-target\">\(HTML.text(words.targetTag))</span>"
            html += "<tfoot><tr class=\"is-target\"><td class=\"number\">–</td><td>\(name)</td><td class=\"number\">"
                + HTML.text(language.percent(Double(targetBefore))) + "</td><td>\(name)</td><td class=\"number\">"
                + HTML.text(language.percent(Double(targetAfter))) + "</td></tr></tfoot>"
        }
        return html + "</table></div>"
    }

    private func compareTable() -> String {
        let attacks = record.comparison ?? []
        let targetLabel = record.target?.label
        var header = [words.attack, words.successShort, words.topAfter]
        if let targetLabel { header.append(words.targetProbability(targetLabel)) }
        header += ["L∞", "L2", words.psnr, words.ssim, words.steps, words.time, words.queriesShort]
        // Everything after the attack, success and top-1 columns is a number.
        var html = "<div class=\"table-wrap\"><table class=\"results compare\"><thead><tr>"
        for (index, title) in header.enumerated() {
            html += "<th\(index >= 3 ? " class=\"number\"" : "")>\(HTML.text(title))</th>"
        }
        html += "</tr></thead><tbody>\n"
        for attack in attacks {
            var cells = ["<th scope=\"row\">\(HTML.text(MethodNames.withBound(attack, language: language)))</th>",
                         "<td>\(yesNo(attack.summary.success))</td>",
                         "<td>\(number(attack.value(.topAfter))) (\(number(attack.value(.topAfterProbability))))</td>"]
            if targetLabel != nil { cells.append("<td class=\"number\">\(number(attack.value(.targetProbabilityAfter)))</td>") }
            for field: AttackResultField in [.linfGreyLevels, .l2, .psnr, .ssim, .steps, .seconds, .queries] {
                cells.append("<td class=\"number\">\(number(attack.value(field)))</td>")
            }
            html += "<tr>" + cells.joined() + "</tr>\n"
        }
        html += "</tbody></table></div>\n"
        return html + "<p class=\"table-note\">\(HTML.text(words.compareUnits))</p>"
    }

    private func transferTable() -> String {
        guard let transfer = record.transfer else { return "" }
        let targetLabel = record.target?.label
        var header = [words.attack + " (" + words.madeOn(MethodNames.shortModel(transfer.sourceModel)) + ")", words.model,
                      words.topBeforeAfter]
        if let targetLabel { header.append(words.targetProbability(targetLabel) + " " + words.beforeAfterShort) }
        header.append(words.successShort)
        var html = "<div class=\"table-wrap\"><table class=\"results transfer\"><thead><tr>"
        for title in header { html += "<th>\(HTML.text(title))</th>" }
        html += "</tr></thead><tbody>\n"
        for (attackIndex, attack) in transfer.attacks.enumerated() {
            let evaluations = transfer.evaluations.indices.contains(attackIndex) ? transfer.evaluations[attackIndex] : []
            for evaluation in evaluations {
                let target = record.target
                var model = HTML.text(MethodNames.shortModel(evaluation.model))
                if evaluation.model == transfer.sourceModel { model += " <span class=\"tag\">\(HTML.text(words.sourceTag))</span>" }
                var cells = ["<td>\(HTML.text(MethodNames.withBound(attack, language: language)))</td>",
                             "<td class=\"nowrap\">\(model)</td>",
                             "<td>\(number(evaluation.value(.original, target: target))) "
                                + "(\(number(evaluation.value(.originalProbabilityBefore, target: target)))) → "
                                + "\(number(evaluation.value(.top1, target: target))) "
                                + "(\(number(evaluation.value(.top1Probability, target: target))))</td>"]
                if targetLabel != nil {
                    cells.append("<td class=\"nowrap\">\(number(evaluation.value(.targetProbabilityBefore, target: target))) → "
                        + "\(number(evaluation.value(.targetProbability, target: target)))</td>")
                }
                cells.append("<td>\(yesNo(evaluation.success))</td>")
                html += "<tr>" + cells.joined() + "</tr>\n"
            }
        }
        html += "</tbody></table></div>\n"
        return html + "<p class=\"table-note\">\(HTML.text(words.transferNote))</p>"
    }

    /// One image: method × ε, each cell the target's probability on the saved PNG (linked to
    /// it) and whether it succeeds. Several images: the same grid with successes over the
    /// images, then one row per image and method.
    private func sweepTables() -> String {
        guard let sweep = record.sweep else { return "" }
        let table = SweepTable(sweep)
        let target = record.target?.label
        func header(_ first: String) -> String {
            var html = "<thead><tr><th>\(HTML.text(first))</th>"
            for epsilon in sweep.epsilons.indices {
                html += "<th class=\"number\">ε = \(HTML.text(sweep.epsilonText(epsilon)))</th>"
            }
            return html + "</tr></thead>"
        }
        func pointCell(_ cell: SweepTable.Cell) -> String {
            guard cell.images == 1 else { return "<td class=\"number\">–</td>" }
            var value = cell.targetProbability.map { HTML.text(language.percent($0)) } ?? ""
            if let key = cell.pointKey, let file = cell.adversarialFile, !value.isEmpty {
                let path = rootPath + "data/\(key)/\(file)"
                value = "<a href=\"\(HTML.attribute(path))\">\(value)</a> "
            }
            return "<td class=\"number\">\(value)\(yesNo(cell.successes == 1))</td>"
        }
        func rateCell(_ cell: SweepTable.Cell) -> String {
            let rate = cell.images == 0 ? 0 : Double(cell.successes) / Double(cell.images)
            return "<td class=\"number\">\(HTML.text(language.percent(rate))) (\(cell.successes)/\(cell.images))</td>"
        }
        func methodName(_ series: Int) -> String { HTML.text(sweep.methods[series].name(language)) }
        var html = ""
        if sweep.images.count == 1 {
            html += "<p class=\"figure-table-title\">\(HTML.text(words.sweepPointsTitle(target)))</p>\n"
            html += "<div class=\"table-wrap\"><table class=\"results sweep\">" + header(words.attack) + "<tbody>\n"
            for row in table.summary {
                html += "<tr><th scope=\"row\">\(methodName(row.series))</th>" + row.cells.map(pointCell).joined() + "</tr>\n"
            }
            html += "</tbody></table></div>\n"
        } else {
            html += "<p class=\"figure-table-title\">\(HTML.text(words.sweepRatesTitle(images: sweep.images.count)))</p>\n"
            html += "<div class=\"table-wrap\"><table class=\"results sweep\">" + header(words.attack) + "<tbody>\n"
            for row in table.summary {
                html += "<tr><th scope=\"row\">\(methodName(row.series))</th>" + row.cells.map(rateCell).joined() + "</tr>\n"
            }
            html += "</tbody></table></div>\n"
            html += "<p class=\"figure-table-title\">\(HTML.text(words.sweepDetailsTitle(target)))</p>\n"
            html += "<div class=\"table-wrap\"><table class=\"results sweep sweep-images\">"
                + header(words.image + " · " + words.attack) + "<tbody>\n"
            for row in table.details {
                let image = row.image.map { HTML.text(sweep.images[$0].split(separator: "/").last.map(String.init) ?? "") } ?? ""
                html += "<tr><th scope=\"row\">\(image) · \(methodName(row.series))</th>"
                    + row.cells.map(pointCell).joined() + "</tr>\n"
            }
            html += "</tbody></table></div>\n"
        }
        return html + "<p class=\"table-note\">\(HTML.text(words.sweepNote))</p>"
    }

    private func classifyTables() -> String {
        (record.classification ?? []).map { answer in
            var html = "<p class=\"figure-table-title\">\(HTML.text(answer.image)) · \(HTML.text(MethodNames.model(record.model)))</p>\n"
            html += "<div class=\"table-wrap\"><table class=\"results classify\"><thead><tr><th class=\"number\">#</th>"
                + "<th>\(HTML.text(words.className))</th><th class=\"number\">\(HTML.text(words.probability))</th></tr></thead><tbody>\n"
            for (rank, ranked) in answer.top.enumerated() {
                html += "<tr><td class=\"number\">\(rank + 1)</td><td>\(HTML.text(ranked.label))</td>"
                    + "<td class=\"number\">\(HTML.text(language.percent(Double(ranked.probability))))</td></tr>\n"
            }
            return html + "</tbody></table></div>"
        }.joined(separator: "\n")
    }
}
