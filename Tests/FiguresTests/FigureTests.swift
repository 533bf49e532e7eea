@testable import Figures
import Imaging
import Testing

@Suite("Figures")
struct FigureTests {
    let original = gradientImage(width: 20, height: 20)

    @Test("comparison panel: size, amplified perturbation around mid-grey, alt text")
    func comparisonPanel() throws {
        let adversarial = shiftingRightHalf(of: original, by: 2)
        let panel = ComparisonPanel(original: original, adversarial: adversarial,
                                    originalPrediction: Prediction(label: "tabby cat", probability: 0.621),
                                    adversarialPrediction: Prediction(label: "trilobite", probability: 0.9892),
                                    imageWidth: 100)
        let figure = try panel.render()
        #expect(figure.pixelWidth == Int(figure.logicalWidth) * 2)
        #expect(figure.pixelHeight == Int(figure.logicalHeight) * 2)
        let decoded = try DecodedFigure(figure)
        #expect(decoded.width == figure.pixelWidth && decoded.height == figure.pixelHeight)
        // δ = 2 is amplified ×50 around 128: the right half is 228, the left half 128.
        // Each half is 50 pt = 100 px wide; the badge covers part of the left half's first rows.
        #expect(decoded.longestRun(of: (228, 228, 228)) == 100)
        #expect(decoded.longestRun(of: (128, 128, 128)) == 100)
        for needle in ["tabby cat", "62.1%", "trilobite", "98.9%", "2 grey levels", "×50"] {
            #expect(figure.altText.contains(needle), "alt text lacks \(needle): \(figure.altText)")
        }
    }

    @Test("comparison panel with the talk's two attacks, in Spanish")
    func comparisonPanelTwoRows() throws {
        let labels = ComparisonPanel.Labels(language: .spanish, title: "¿Se perciben las modificaciones? ¡Compárelas!")
        let rows = [
            ComparisonPanel.Row(heading: "Ataque 1: sin cotas", original: original,
                                adversarial: shiftingRightHalf(of: original, by: 40),
                                originalPrediction: Prediction(label: "gato atigrado", probability: 0.621),
                                adversarialPrediction: Prediction(label: "trilobites", probability: 0.9892)),
            ComparisonPanel.Row(heading: "Ataque 2: con cotas (ε = 2/255)", original: original,
                                adversarial: shiftingRightHalf(of: original, by: -2),
                                originalPrediction: Prediction(label: "gato atigrado", probability: 0.621),
                                adversarialPrediction: Prediction(label: "trilobites", probability: 0.9907)),
        ]
        let figure = try ComparisonPanel(rows: rows, imageWidth: 100, labels: labels, style: .spanish).render()
        let decoded = try DecodedFigure(figure)
        #expect(decoded.height == figure.pixelHeight)
        #expect(figure.altText.contains("Ataque 1: sin cotas"))
        #expect(figure.altText.contains("99,1\u{00A0}%"))
        #expect(figure.altText.contains("40 niveles de gris"))
    }

    @Test("comparison panel rejects images of different sizes")
    func comparisonPanelSizeMismatch() {
        let panel = ComparisonPanel(original: original, adversarial: gradientImage(width: 10, height: 20),
                                    originalPrediction: Prediction(label: "a", probability: 0.5),
                                    adversarialPrediction: Prediction(label: "b", probability: 0.5))
        #expect(throws: FigureError.imageSizeMismatch(originalWidth: 20, originalHeight: 20, adversarialWidth: 10,
                                                      adversarialHeight: 20)) {
            try panel.render()
        }
    }

    @Test("heat map of a known perturbation: viridis[0] on the unchanged half, viridis[255] on the other")
    func heatmapColours() throws {
        let heatmap = try NoiseHeatmap(original: original, adversarial: shiftingRightHalf(of: original, by: 20),
                                       imageWidth: 100)
        let figure = try heatmap.render()
        let decoded = try DecodedFigure(figure)
        let margin = FigureStyle.standard.margin
        // The map fills (margin, margin)–(margin + 100, margin + 100) points.
        let left = decoded.pixel(atPoint: margin + 25, margin + 50)
        let right = decoded.pixel(atPoint: margin + 75, margin + 50)
        #expect(close(left, (68, 1, 84)))
        #expect(close(right, (253, 231, 37)))
        #expect(close(left, ColorMap.viridis.rgb8(0)) && close(right, ColorMap.viridis.rgb8(255)))
        #expect(figure.altText.contains("20 grey levels"))
        #expect(figure.altText.contains("50.0%"))

        let magma = try NoiseHeatmap(original: original, adversarial: shiftingRightHalf(of: original, by: 20),
                                     mode: .magnitude(.magma), imageWidth: 100).render()
        let magmaRight = try DecodedFigure(magma).pixel(atPoint: margin + 75, margin + 50)
        #expect(close(magmaRight, (252, 253, 191)))
    }

    @Test("a colour scale limit above the data puts the data in the middle of the map")
    func heatmapLimit() throws {
        let figure = try NoiseHeatmap(original: original, adversarial: shiftingRightHalf(of: original, by: 4),
                                      limit: 8, imageWidth: 100).render()
        let margin = FigureStyle.standard.margin
        let right = try DecodedFigure(figure).pixel(atPoint: margin + 75, margin + 50)
        #expect(close(right, ColorMap.viridis.rgb8(ColorMap.viridis.index(at: 0.5))))
    }

    @Test("signed heat map: white where unchanged, the darkest red at +limit, per channel")
    func signedHeatmap() throws {
        let figure = try NoiseHeatmap(original: original, adversarial: shiftingRightHalf(of: original, by: 3),
                                      mode: .signedPerChannel, imageWidth: 100).render()
        let decoded = try DecodedFigure(figure)
        let style = FigureStyle.standard
        for channel in 0..<3 {
            let panelLeft = style.margin + Double(channel) * (100 + style.gap)
            // The panels start below a one-line heading; y = 80 pt is inside them.
            #expect(close(decoded.pixel(atPoint: panelLeft + 25, 80), (0xF7, 0xF7, 0xF7)))
            #expect(close(decoded.pixel(atPoint: panelLeft + 75, 80), (0xB2, 0x18, 0x2B)))
        }
        #expect(figure.altText.contains("red, green and blue"))
    }

    @Test("confidence chart: a bar's length is proportional to its probability")
    func confidenceBarLengths() throws {
        let chart = ConfidenceChart(before: [Prediction(label: "tabby cat", probability: 0.8),
                                             Prediction(label: "tiger cat", probability: 0.2)],
                                    after: [Prediction(label: "trilobite", probability: 0.6),
                                            Prediction(label: "isopod", probability: 0.01)],
                                    targetLabel: "trilobite")
        let figure = try chart.render()
        let decoded = try DecodedFigure(figure)
        let style = FigureStyle.standard
        let original = Double(decoded.longestRun(of: style.original.rgb8))
        let neutral = Double(decoded.longestRun(of: style.neutral.rgb8))
        let target = Double(decoded.longestRun(of: style.target.rgb8))
        #expect(neutral > 0)
        #expect(abs(original / neutral - 4) / 4 < 0.02)
        #expect(abs(target / original - 0.75) / 0.75 < 0.02)
        for needle in ["tabby cat 80.0%", "tiger cat 20.0%", "trilobite 60.0%", "isopod 1.0%", "target class is trilobite"] {
            #expect(figure.altText.contains(needle), "alt text lacks \(needle): \(figure.altText)")
        }
    }

    @Test("confidence chart: log scale renders, and a log scale needs a positive minimum")
    func confidenceLogScale() throws {
        let chart = ConfidenceChart(before: talkBefore, after: talkAfter, targetLabel: "trilobite",
                                    scale: .logarithmic(minimum: 1e-4), style: .spanish)
        let figure = try chart.render()
        #expect(figure.altText.contains("98,9\u{00A0}%"))
        var broken = chart
        broken.scale = .logarithmic(minimum: 0)
        #expect(throws: FigureError.self) { try broken.render() }
        broken = chart
        broken.before = []
        #expect(throws: FigureError.noData(figure: "ConfidenceChart", what: "before")) { try broken.render() }
    }

    @Test("progress chart: several runs, the goal in the alt text, mismatched series rejected")
    func progressChart() throws {
        let runs = [
            ProgressChart.Run(name: "talk", targetProbability: [0.001, 0.2, 0.7, 0.96],
                              originalProbability: [0.6, 0.4, 0.1, 0.01], loss: [6.9, 1.6, 0.36, 0.04]),
            ProgressChart.Run(name: "Adam", targetProbability: [0.001, 0.5, 0.9, 0.93]),
        ]
        let chart = ProgressChart(runs: runs, targetLabel: "trilobite", originalLabel: "tabby cat", goal: 0.95,
                                  scale: .logarithmic(minimum: 1e-4))
        let figure = try chart.render()
        #expect(figure.pixelWidth == 1440)
        #expect(figure.altText.contains("reaching the goal of 95% at step 3"))
        #expect(figure.altText.contains("without reaching the goal"))
        #expect(figure.altText.contains("tabby cat goes from 60.0% to 1.0%"))

        var broken = chart
        broken.runs[0].loss = [1, 2]
        #expect(throws: FigureError.lengthMismatch(figure: "ProgressChart", what: "talk's loss", expected: 4, actual: 2)) {
            try broken.render()
        }
        broken = chart
        broken.runs[1].targetProbability[1] = .nan
        #expect(throws: FigureError.self) { try broken.render() }
    }

    @Test("transfer grid: each cell is coloured by its probability and the number is in the alt text")
    func transferGrid() throws {
        let grid = TransferGrid(models: ["Lite0", "Lite2"], attacks: ["PGD", "MI-FGSM"],
                                probabilities: [[0.99, 0.25], [0.004, nil]], targetLabel: "trilobite")
        let figure = try grid.render()
        let decoded = try DecodedFigure(figure)
        // A cell is 112 × 38 points; most of it (outside the number) has the cell colour.
        let cellColour = ColorMap.viridis.color(at: 0.25).rgb8
        #expect(decoded.longestRun(of: cellColour) >= 2 * 112 - 4)
        for needle in ["Lite0: PGD 99.0% and MI-FGSM 25.0%", "Lite2: PGD 0.40% and MI-FGSM —"] {
            #expect(figure.altText.contains(needle), "alt text lacks \(needle): \(figure.altText)")
        }
        var broken = grid
        broken.probabilities = [[0.5, 0.5]]
        #expect(throws: FigureError.self) { try broken.render() }
    }

    @Test("sweep chart: series against ε in grey levels")
    func sweepChart() throws {
        let chart = SweepChart(series: [
            SweepChart.Series(name: "FGSM", samples: [.init(epsilon: 1, value: 0.1), .init(epsilon: 2, value: 0.5)]),
            SweepChart.Series(name: "PGD", samples: [.init(epsilon: 1, value: 0.4), .init(epsilon: 2, value: 0.9)]),
        ])
        let figure = try chart.render()
        #expect(figure.altText.contains("FGSM: ε = 1: 10.0%, ε = 2: 50.0%"))
        #expect(try DecodedFigure(figure).width == figure.pixelWidth)
        var broken = chart
        broken.series[0].samples[0].epsilon = -1
        #expect(throws: FigureError.self) { try broken.render() }
    }

    @Test("sweep chart: a failed point is a hollow marker, keyed in the legend and named in the alt text")
    func sweepChartMarksSuccess() throws {
        func chart(_ succeeded: [Bool?]) -> SweepChart {
            SweepChart(series: [SweepChart.Series(name: "PGD", samples: [
                .init(epsilon: 1, value: 0.3, succeeded: succeeded[0]), .init(epsilon: 4, value: 0.9, succeeded: succeeded[1]),
            ])], quantity: .targetProbability)
        }
        let unmarked = try chart([nil, nil]).render()
        let bothSucceed = try chart([true, true]).render()
        let oneFails = try chart([false, true]).render()
        // The marker key is a row of its own.
        #expect(bothSucceed.logicalHeight > unmarked.logicalHeight)
        #expect(oneFails.logicalHeight == bothSucceed.logicalHeight)
        // A hollow marker has the background inside, so fewer pixels of the series' colour.
        let blue = FigureStyle.standard.seriesColor(0).rgb8
        func count(_ figure: RenderedFigure) throws -> Int {
            let decoded = try DecodedFigure(figure)
            var total = 0
            for y in 0..<decoded.height {
                for x in 0..<decoded.width {
                    let p = decoded.pixel(x, y)
                    if p.red == Int(blue.red), p.green == Int(blue.green), p.blue == Int(blue.blue) { total += 1 }
                }
            }
            return total
        }
        #expect(try count(oneFails) < count(bothSucceed) - 50)
        #expect(oneFails.altText.contains("ε = 1: 30.0% (failure), ε = 4: 90.0% (success)"), "\(oneFails.altText)")
        #expect(!unmarked.altText.contains("success"))
        var spanish = chart([false, true])
        spanish.style = .spanish
        spanish.labels = SweepChart.Labels(language: .spanish)
        #expect(try spanish.render().altText.contains("ε = 1: 30,0\u{00A0}% (fracaso)"))
    }

    @Test("every figure kind gives identical PNG bytes when rendered twice")
    func deterministicBytes() throws {
        let adversarial = shiftingRightHalf(of: original, by: 3)
        let renderers: [() throws -> RenderedFigure] = [
            { try ComparisonPanel(original: self.original, adversarial: adversarial,
                                  originalPrediction: talkBefore[0], adversarialPrediction: talkAfter[0]).render() },
            { try NoiseHeatmap(original: self.original, adversarial: adversarial).render() },
            { try NoiseHeatmap(original: self.original, adversarial: adversarial, mode: .signedPerChannel).render() },
            { try ConfidenceChart(before: talkBefore, after: talkAfter, targetLabel: "trilobite").render() },
            { try ProgressChart(runs: [.init(name: "talk", targetProbability: [0.01, 0.5, 0.97])],
                                targetLabel: "trilobite").render() },
            { try TransferGrid(models: ["Lite0"], attacks: ["PGD"], probabilities: [[0.9]], targetLabel: "trilobite").render() },
            { try SweepChart(series: [.init(name: "PGD", samples: [.init(epsilon: 1, value: 0.3)])]).render() },
        ]
        for render in renderers {
            let first = try render()
            let second = try render()
            #expect(first.png == second.png)
            #expect(first.png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }
}
