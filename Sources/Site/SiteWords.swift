import Figures

/// The site's own words (everything not written in a lesson), per page language. Languages
/// other than Spanish get the English words, as their figures do.
struct SiteWords {
    let language: FigureLanguage

    init(lessonLanguage: String) {
        language = FigureLanguage(lessonLanguage: lessonLanguage)
    }

    private func pick(_ spanish: String, _ english: String) -> String {
        language == .spanish ? spanish : english
    }

    var siteTitle: String { pick("Ataques adversarios", "Adversarial attacks") }
    var siteSubtitle: String { pick("Cómo engañar a una red neuronal", "How to fool a neural network") }
    var languageName: String { pick("Español", "English") }
    var skipToContent: String { pick("Saltar al contenido", "Skip to content") }
    var languageNavigation: String { pick("Idioma", "Language") }
    var inThisLesson: String { pick("En esta lección", "In this lesson") }
    var lessonKicker: String { pick("Lección", "Lesson") }
    var previous: String { pick("Anterior", "Previous") }
    var next: String { pick("Siguiente", "Next") }
    var contents: String { pick("Índice", "Contents") }
    var indexIntroduction: String {
        pick("Cada figura y cada número de estas lecciones se calcularon en esta máquina con EfficientNet-Lite, "
             + "a partir de las lecciones en Markdown.",
             "Every figure and number in these lessons was computed on this machine with EfficientNet-Lite, "
             + "from the Markdown lessons.")
    }
    var footer: String {
        pick("Generado por trilobite. Modelos EfficientNet-Lite (Apache-2.0); fotos libres, ver lessons/images/CREDITS.md.",
             "Built by trilobite. EfficientNet-Lite models (Apache-2.0); free photos, see lessons/images/CREDITS.md.")
    }
    var themeAuto: String { pick("Tema: automático", "Theme: auto") }
    var themeLight: String { pick("Tema: claro", "Theme: light") }
    var themeDark: String { pick("Tema: oscuro", "Theme: dark") }

    // Figures and downloads
    var download: String { pick("Descargar:", "Download:") }
    var adversarialPNG: String { pick("imagen adversaria (PNG)", "adversarial image (PNG)") }
    func adversarialPNG(_ method: String) -> String {
        pick("imagen adversaria de \(method) (PNG)", "\(method) adversarial image (PNG)")
    }
    var resultJSON: String { pick("resultado (JSON)", "result (JSON)") }
    var consoleTitle: String { pick("Salida de la consola", "Console output") }

    // Result tables
    var method: String { pick("Método", "Method") }
    var attack: String { pick("Ataque", "Attack") }
    var model: String { pick("Modelo", "Model") }
    var image: String { pick("Imagen", "Image") }
    var bound: String { pick("Cota", "Bound") }
    var unbounded: String { pick("sin cota", "none") }
    var steps: String { pick("Pasos", "Steps") }
    var time: String { pick("Tiempo", "Time") }
    var linf: String { pick("L∞ (niveles de gris)", "L∞ (grey levels)") }
    var l2: String { pick("L2 (escala [0,1])", "L2 ([0,1] scale)") }
    var psnr: String { "PSNR" }
    var ssim: String { "SSIM" }
    var queries: String { pick("Consultas a la red", "Network queries") }
    var queriesShort: String { pick("Consultas", "Queries") }
    var success: String { pick("Éxito (PNG de 8 bits)", "Success (8-bit PNG)") }
    var successShort: String { pick("Éxito", "Success") }
    var savedCheck: String { pick("PNG releído", "PNG read back") }
    var savedMatches: String { pick("da lo mismo que el informe", "gives what the report says") }
    var savedDiffers: String { pick("difiere del informe", "differs from the report") }
    var before: String { pick("Antes", "Before") }
    var after: String { pick("Después (PNG de 8 bits)", "After (8-bit PNG)") }
    var afterShort: String { pick("Después", "After") }
    var rank: String { "#" }
    var className: String { pick("Clase", "Class") }
    var probability: String { pick("Probabilidad", "Probability") }
    var targetTag: String { pick("objetivo", "target") }
    var originalTag: String { pick("original", "original") }
    var top5Title: String { pick("Las 5 clases más probables", "Top 5 classes") }
    var metricsTitle: String { pick("Resultado del ataque", "Attack result") }
    var topAfter: String { pick("Top-1 después", "Top-1 after") }
    var topBefore: String { pick("Top-1 antes", "Top-1 before") }
    func targetProbability(_ label: String) -> String { pick("p(\(label))", "p(\(label))") }
    func madeOn(_ model: String) -> String { pick("hecho en \(model)", "made on \(model)") }
    var topBeforeAfter: String { pick("Top-1: antes → después", "Top-1: before → after") }
    var beforeAfterShort: String { pick("antes → después", "before → after") }
    var sourceTag: String { pick("origen", "source") }
    var targetClass: String { pick("Clase objetivo", "Target class") }
    var compareUnits: String {
        pick("L∞ en niveles de gris, L2 en la escala [0,1], PSNR en dB, tiempo en segundos; todo medido sobre el PNG "
             + "de 8 bits guardado.",
             "L∞ in grey levels, L2 on the [0,1] scale, PSNR in dB, time in seconds; all measured on the saved 8-bit PNG.")
    }
    var transferNote: String {
        pick("Cada modelo clasifica el PNG de 8 bits guardado (y el recorte original), redimensionados a su tamaño de "
             + "entrada cuando es distinto.",
             "Each model classifies the saved 8-bit PNG (and the original crop), resized to its input size when it differs.")
    }
    var chartPNG: String { pick("gráfica (PNG)", "chart (PNG)") }
    /// "p(trilobite) en el PNG guardado y éxito, por ataque y ε".
    func sweepPointsTitle(_ target: String?) -> String {
        guard let target else { return pick("Éxito en el PNG guardado, por ataque y ε", "Success on the saved PNG, by attack and ε") }
        return pick("p(\(target)) en el PNG guardado y éxito, por ataque y ε",
                    "p(\(target)) on the saved PNG and success, by attack and ε")
    }
    /// "Éxito en 4 imágenes, por ataque y ε".
    func sweepRatesTitle(images: Int) -> String {
        pick("Éxito en \(images) imágenes, por ataque y ε (entre paréntesis, imágenes con éxito)",
             "Success on \(images) images, by attack and ε (in brackets, images on which it succeeds)")
    }
    func sweepDetailsTitle(_ target: String?) -> String {
        guard let target else { return pick("Cada imagen: éxito", "Each image: success") }
        return pick("Cada imagen: p(\(target)) en el PNG guardado y éxito", "Each image: p(\(target)) on the saved PNG and success")
    }
    var sweepNote: String {
        pick("Cada punto es un ataque propio, medido sobre su PNG de 8 bits guardado; la cifra enlaza a esa imagen.",
             "Each point is an attack of its own, measured on its saved 8-bit PNG; the number links to that image.")
    }
    var seconds: String { "s" }
    var decibels: String { "dB" }

    func greyLevels(_ value: String) -> String { pick("\(value) niveles de gris", "\(value) grey levels") }

    /// "L∞ ≤ 2 niveles de gris (0,0078 en [0,1]; 0,0157 en unidades del modelo)".
    func boundText(norm: String, grey: String, image: String, model: String) -> String {
        pick("\(norm) ≤ \(grey) niveles de gris (\(image) en [0,1]; \(model) en unidades del modelo)",
             "\(norm) ≤ \(grey) grey levels (\(image) on [0,1]; \(model) in model units)")
    }

    func stopReason(_ reason: String) -> String {
        switch reason {
        case "goalReached": return pick("meta alcanzada", "goal reached")
        case "succeeded": return pick("lo consiguió", "succeeded")
        case "stepLimit": return pick("límite de pasos", "step limit")
        case "queryBudgetExhausted": return pick("consultas agotadas", "query budget used up")
        case "lossStoppedImproving": return pick("la pérdida dejó de mejorar", "loss stopped improving")
        case "stalled": return pick("estancado: la imagen dejó de cambiar", "stalled: the image stopped changing")
        default: return reason
        }
    }
}

/// The slide mode's words.
extension SiteWords {
    var slides: String { pick("Diapositivas", "Slides") }
    var slidesLink: String { pick("Ver como diapositivas", "View as slides") }
    var slide: String { pick("diapositiva", "slide") }
    var slideDeck: String { pick("Presentación", "Slide deck") }
    var slideControls: String { pick("Controles de la presentación", "Slide controls") }
    var previousSlide: String { pick("Diapositiva anterior", "Previous slide") }
    var nextSlide: String { pick("Diapositiva siguiente", "Next slide") }
    var overview: String { pick("Vista general", "Overview") }
    var speakerView: String { pick("Vista del orador", "Speaker view") }
    var fullscreen: String { pick("Pantalla completa", "Fullscreen") }
    var backToLesson: String { pick("Volver a la lección", "Back to the lesson") }
    var speakerNotes: String { pick("Notas", "Notes") }
    var slideNotes: String { pick("Notas de esta diapositiva", "Notes for this slide") }
    var noSlideNotes: String { pick("Esta diapositiva no tiene notas.", "This slide has no notes.") }
    var lessonNotes: String { pick("Notas generales de la lección", "General notes for the lesson") }
    var nextUp: String { pick("Siguiente", "Next") }
    var endOfDeck: String { pick("Fin de la presentación", "End of the deck") }
    var timer: String { pick("Tiempo", "Time") }
    var resetTimer: String { pick("Reiniciar", "Reset") }
    var pauseTimer: String { pick("Pausa", "Pause") }
    var keyHelp: String {
        pick("Teclas: → ← espacio RePág AvPág Inicio Fin · f pantalla completa · o vista general · s vista del orador",
             "Keys: → ← space PgUp PgDn Home End · f fullscreen · o overview · s speaker view")
    }
}
