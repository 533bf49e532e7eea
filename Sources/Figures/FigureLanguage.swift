import Foundation

/// The language of a figure's default labels, its number formats and its alt text.
///
/// Every label can still be replaced by the caller; the language decides what the defaults
/// say and how numbers look ("62.1%" in English, "62,1 %" in Spanish).
public enum FigureLanguage: Sendable, Equatable {
    case english
    case spanish

    /// The decimal separator of the language.
    public var decimalSeparator: String {
        switch self {
        case .english: return "."
        case .spanish: return ","
        }
    }

    /// `value` with a fixed number of decimals, formatted without Foundation so the text
    /// (and so the PNG bytes) never depend on the machine's locale.
    public func decimal(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "−∞") }
        let places = max(0, min(decimals, 9))
        var power = 1.0
        for _ in 0..<places { power *= 10 }
        let scaled = (abs(value) * power).rounded()
        guard scaled < 9e15 else { return String(value) }
        let units = Int64(scaled)
        let integerPart = units / Int64(power)
        var text = String(integerPart)
        if places > 0 {
            let fraction = String(units % Int64(power))
            text += decimalSeparator + String(repeating: "0", count: places - fraction.count) + fraction
        }
        // A value that rounds to zero is written without a minus sign.
        return value < 0 && units != 0 ? "−" + text : text
    }

    /// A whole number or, when needed, one decimal ("2", "1.5"); for grey levels and steps.
    public func compact(_ value: Double) -> String {
        let rounded = value.rounded()
        if abs(value - rounded) < 1e-9 { return decimal(rounded, decimals: 0) }
        let tenths = (value * 10).rounded() / 10
        if abs(value - tenths) < 1e-9 { return decimal(value, decimals: 1) }
        return decimal(value, decimals: 2)
    }

    /// A probability as a percentage with as many decimals as make it informative:
    /// 99.3%, 4.2%, 0.12%, 0.077%, and "<0.001%" below that.
    public func percent(_ probability: Double) -> String {
        let value = probability * 100
        let number: String
        if !value.isFinite {
            number = decimal(value, decimals: 0)
        } else if value >= 1 || value == 0 {
            number = decimal(value, decimals: value == 0 ? 0 : 1)
        } else if value >= 0.1 {
            number = decimal(value, decimals: 2)
        } else if value >= 0.001 {
            number = decimal(value, decimals: 3)
        } else {
            number = "<" + decimal(0.001, decimals: 3)
        }
        return number + percentSuffix
    }

    /// A percentage tick label with the decimals the tick spacing needs (0%, 20%, 0.1%).
    func percentTick(_ probability: Double) -> String {
        let value = probability * 100
        // As many decimals as the value needs, so log-scale ticks read 0.001%, 0.01%, 0.1%.
        var decimals = 0
        var shifted = value
        while decimals < 6, abs(shifted - shifted.rounded()) > 1e-6 * max(1, abs(shifted)) {
            decimals += 1
            shifted *= 10
        }
        return decimal(value, decimals: decimals) + percentSuffix
    }

    private var percentSuffix: String {
        // Spanish typography separates the sign from the number (RAE, Ortografía 2010);
        // a no-break space keeps them together.
        self == .spanish ? "\u{00A0}%" : "%"
    }

    /// "1 grey level" / "2 grey levels" / "2 niveles de gris".
    func greyLevels(_ value: Double) -> String {
        let number = compact(value)
        switch self {
        case .english: return number + (value == 1 ? " grey level" : " grey levels")
        case .spanish: return number + (value == 1 ? " nivel de gris" : " niveles de gris")
        }
    }

    /// Joins a list the way prose does: "a, b and c" / "a, b y c".
    func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        guard items.count > 1 else { return last }
        let conjunction = self == .spanish ? " y " : " and "
        return items.dropLast().joined(separator: ", ") + conjunction + last
    }
}

/// A figure title as the first sentence of alt text ("Title. " or "Title? ").
func altTextPrefix(_ title: String?) -> String {
    guard let title, !title.isEmpty else { return "" }
    guard let last = title.last, ".?!:;…".contains(last) else { return title + ". " }
    return title + " "
}

/// Replaces `{name}` placeholders in a caller's template, so translated labels can put the
/// number wherever their grammar wants it ("×{factor}", "máx. |δ| = {value}").
/// Pairs are applied in order (a dictionary's order would vary between runs).
func fill(_ template: String, _ values: KeyValuePairs<String, String>) -> String {
    var result = template
    for (name, value) in values {
        result = result.replacingOccurrences(of: "{" + name + "}", with: value)
    }
    return result
}
