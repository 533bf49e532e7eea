@testable import Figures
import Imaging
import Testing

@Suite("Attack loop diagram")
struct AttackLoopDiagramTests {
    @Test("the diagram is scale × its logical size, with both loops and the target in the alt text")
    func sizeAndAltText() throws {
        let figure = try AttackLoopDiagram().render()
        #expect(figure.pixelWidth == Int(figure.logicalWidth) * 2)
        #expect(figure.pixelHeight == Int(figure.logicalHeight) * 2)
        // Four boxes of 156 pt, three gaps of 34 pt and the margins.
        #expect(figure.logicalWidth == 4 * 156 + 3 * 34 + 2 * FigureStyle.standard.margin)
        let decoded = try DecodedFigure(figure)
        #expect(decoded.width == figure.pixelWidth && decoded.height == figure.pixelHeight)
        for needle in ["Training the network", "WEIGHTS", "Attacking the network", "frozen", "p(trilobite)",
                       "IMAGE", "clip to x₀ ± ε"] {
            #expect(figure.altText.contains(needle), "alt text lacks \(needle): \(figure.altText)")
        }
    }

    @Test("Spanish labels and a custom target class")
    func spanish() throws {
        let figure = try AttackLoopDiagram(targetLabel: "trilobites", style: .spanish).render()
        for needle in ["Entrenamiento de la red", "respecto a los PESOS", "Ataque adversario", "congelada",
                       "p(trilobites)", "respecto a la IMAGEN"] {
            #expect(figure.altText.contains(needle), "alt text lacks \(needle): \(figure.altText)")
        }
        #expect(!figure.altText.contains("{label}"))
    }

    @Test("the diagram in a page's language: its style, words and the class as the lessons write it")
    func pageLanguage() throws {
        let spanish = try AttackLoopDiagram(language: .spanish).render()
        #expect(spanish.png == (try AttackLoopDiagram(targetLabel: "trilobites", style: .spanish).render()).png)
        #expect(spanish.altText.contains("p(trilobites)"))
        let english = try AttackLoopDiagram(language: .english).render()
        #expect(english.png == (try AttackLoopDiagram().render()).png)
        #expect(!AttackLoopDiagram.drawingVersion.isEmpty)
    }

    @Test("the box that changes is drawn in the target colour: the network when training, the image when attacking")
    func highlightedBoxes() throws {
        let style = FigureStyle.standard
        let diagram = AttackLoopDiagram(style: style)
        let decoded = try DecodedFigure(try diagram.render())
        let target = style.target.rgb8
        let margin = style.margin
        let column = { (index: Int) in margin + Double(index) * (diagram.boxWidth + AttackLoopDiagram.arrowGap) }
        // Scan down the left border of a column of boxes for the target colour.
        func rowsWithTarget(atX x: Double) -> [Int] {
            (0..<decoded.height).filter { close(decoded.pixel(Int((x + 1) * 2), $0), target, tolerance: 3) }
        }
        // The first hit in each column is the top border of its highlighted box.
        let networkTop = try #require(rowsWithTarget(atX: column(1)).min())
        let imageTop = try #require(rowsWithTarget(atX: column(0)).min())
        // The training row (network highlighted) is above the attack row (image highlighted),
        // and the training row's image box is not highlighted.
        #expect(networkTop < imageTop)
        #expect(!close(decoded.pixel(Int((column(0) + 1) * 2), networkTop), target, tolerance: 3))
    }

    @Test("the same diagram gives the same PNG bytes; a too narrow box is an error")
    func deterministicAndValidated() throws {
        let first = try AttackLoopDiagram(style: .spanish).render()
        let second = try AttackLoopDiagram(style: .spanish).render()
        #expect(first.png == second.png)
        #expect(first.png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(throws: FigureError.invalidValue(figure: "AttackLoopDiagram", what: "boxWidth", value: 20)) {
            try AttackLoopDiagram(boxWidth: 20).render()
        }
    }
}
