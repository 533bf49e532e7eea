import Foundation
import Testing
@testable import Lessons

/// `{#id}` after a heading sets its anchor, as in Pandoc and Quarto, so that the talk's own
/// anchors (`#Ataque_1_Percibiendo_Las_Modificaciones_Realizadas`) lead to the same sections here.
@Suite struct HeadingAnchorTests {
    static let text = Fixtures.lesson("""
        # Ataque 1: percibiendo las modificaciones {#Ataque_1_Percibiendo_Las_Modificaciones_Realizadas}

        Texto.

        ## Comparando las imágenes {#Comparando_Las_Imágenes_De_Ambos_Ataques}

        Más texto.

        ## Sin ancla propia

        ## Llaves {sin almohadilla}
        """)

    @Test func anExplicitAnchorReplacesTheSlugAndLeavesTheText() throws {
        let (loaded, messages) = try SpeakerNotesTests.load(Self.text)
        #expect(messages == [])
        let lesson = try #require(loaded)
        #expect(lesson.headings.map(\.anchor) == ["Ataque_1_Percibiendo_Las_Modificaciones_Realizadas",
                                                  "Comparando_Las_Imágenes_De_Ambos_Ataques",
                                                  "sin-ancla-propia", "llaves-sin-almohadilla"])
        #expect(lesson.headings.map(\.text) == ["Ataque 1: percibiendo las modificaciones", "Comparando las imágenes",
                                                "Sin ancla propia", "Llaves {sin almohadilla}"])
        #expect(lesson.slides.map(\.title) == [nil, "Comparando las imágenes", "Sin ancla propia",
                                               "Llaves {sin almohadilla}"])
        let html = lesson.parts.compactMap { part -> String? in
            if case .prose(let chunk) = part { return chunk.html() }
            return nil
        }.joined()
        #expect(html.contains("<h1 id=\"Ataque_1_Percibiendo_Las_Modificaciones_Realizadas\">Ataque 1: percibiendo las modificaciones</h1>"))
        #expect(html.contains("<h2 id=\"Comparando_Las_Imágenes_De_Ambos_Ataques\">Comparando las imágenes</h2>"))
        #expect(!html.contains("{#"))
        #expect(html.contains(">Llaves {sin almohadilla}</h2>"))
    }

    @Test func whatIsNotAnAnchorStaysText() {
        #expect(Slug.explicitAnchor(in: "Título {#}").anchor == nil)
        #expect(Slug.explicitAnchor(in: "Título {#dos palabras}").anchor == nil)
        #expect(Slug.explicitAnchor(in: "Título {#a\"b}").anchor == nil)
        #expect(Slug.explicitAnchor(in: "Título {#Ancla} y más").anchor == nil)
        #expect(Slug.explicitAnchor(in: "Título  {#Ancla}  ") == ("Título", "Ancla"))
    }
}
