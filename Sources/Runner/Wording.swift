import Figures

extension FigureLanguage {
    /// The figure language of a lesson language folder: Spanish for `es` (and `es-…`), English
    /// for every other language, whose pages are written in English until they get their own words.
    public init(lessonLanguage code: String) {
        let base = code.split(separator: "-").first.map { $0.lowercased() } ?? code
        self = base == "es" ? .spanish : .english
    }

    /// "sí"/"no" or "yes"/"no".
    public func yesNo(_ value: Bool) -> String {
        switch self {
        case .english: return value ? "yes" : "no"
        case .spanish: return value ? "sí" : "no"
        }
    }

    /// The lesson-language code of this figure language, used in figure file names.
    public var code: String { self == .spanish ? "es" : "en" }
}

/// How methods and models are named on pages and figures.
public enum MethodNames {
    /// "PGD", "C&W", "Ataque de la charla".
    public static func display(_ method: String, language: FigureLanguage) -> String {
        switch method {
        case "talk": return language == .spanish ? "Ataque de la charla" : "The talk's attack"
        case "talk-sign": return language == .spanish ? "Charla con signo" : "Talk, sign steps"
        case "fgsm": return "FGSM"
        case "bim": return "BIM"
        case "pgd": return "PGD"
        case "pgd-l2": return "PGD L2"
        case "mifgsm": return "MI-FGSM"
        case "cw": return "C&W"
        case "deepfool": return "DeepFool"
        case "square": return "Square"
        default: return method
        }
    }

    /// "PGD, ε = 2/255": the method with its bound, for table rows and panel headings.
    public static func withBound(_ record: AttackRecord, language: FigureLanguage) -> String {
        let name = display(record.summary.method, language: language)
        guard let bound = record.boundDescription else { return name }
        return "\(name), \(boundPhrase(bound, language: language))"
    }

    /// A recorded bound as a figure heading says it: "ε = 2/255"; the talk's bound, recorded in
    /// the network's input units ("0.01 model units"), as "±0,01 en unidades de la red".
    public static func boundPhrase(_ bound: String, language: FigureLanguage) -> String {
        guard let value = AttackConfiguration.modelUnitsValue(of: bound) else { return "ε = \(bound)" }
        switch language {
        case .spanish: return "±\(value.replacingOccurrences(of: ".", with: ",")) en unidades de la red"
        case .english: return "±\(value) in model units"
        }
    }

    /// "Lite0" for `lite0`, for narrow table cells.
    public static func shortModel(_ name: String) -> String {
        name.hasPrefix("lite") ? "Lite" + name.dropFirst(4) : name
    }

    /// "EfficientNet-Lite0" for `lite0`.
    public static func model(_ name: String) -> String {
        name.hasPrefix("lite") ? "EfficientNet-Lite" + name.dropFirst(4) : name
    }
}
