/// A colour map as 256 sRGB entries, indexed by a fraction in [0, 1].
///
/// Values are mapped to the nearest entry (`round(fraction × 255)`), so a figure's colours
/// are exactly the published table entries and a test can compare them level for level.
public struct ColorMap: Sendable, Equatable {
    /// A short name for alt text and documentation.
    public let name: String
    /// 256 × (r, g, b) bytes.
    public let entries: [UInt8]

    /// A colour map from 256 × 3 components in [0, 1].
    init(name: String, components: [Float]) {
        precondition(components.count == 256 * 3, "a colour map table has 256 RGB entries")
        self.name = name
        entries = components.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
    }

    /// viridis: dark blue → green → yellow, perceptually uniform and readable in greyscale.
    public static let viridis = ColorMap(name: "viridis", components: viridisTable)

    /// magma: black → purple → orange → pale yellow, perceptually uniform.
    public static let magma = ColorMap(name: "magma", components: magmaTable)

    /// A diverging blue–white–red map for signed values with symmetric limits.
    ///
    /// Nodes are Paul Tol's "BuRd" scheme (the ColorBrewer RdBu colours, which Tol recommends
    /// for colour-blind readers), interpolated linearly in sRGB. Entries 0…127 run from the
    /// darkest blue to the white centre and 128…255 from the centre to the darkest red, so
    /// that zero (fraction 0.5 → entry 128) is exactly the neutral centre colour.
    public static let blueWhiteRed: ColorMap = {
        let nodes: [UInt32] = [0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
                               0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B]
        let half = nodes.count / 2
        func interpolate(_ segment: ArraySlice<UInt32>, _ t: Double) -> [Float] {
            let stops = Array(segment)
            let position = t * Double(stops.count - 1)
            let lower = min(Int(position), stops.count - 2)
            let local = position - Double(lower)
            let a = Color(hex: stops[lower]), b = Color(hex: stops[lower + 1])
            return [Float(a.red + (b.red - a.red) * local),
                    Float(a.green + (b.green - a.green) * local),
                    Float(a.blue + (b.blue - a.blue) * local)]
        }
        var components: [Float] = []
        components.reserveCapacity(768)
        for index in 0..<128 {
            components += interpolate(nodes[0...half], Double(index) / 127)
        }
        for index in 0..<128 {
            components += interpolate(nodes[half...], Double(index) / 127)
        }
        return ColorMap(name: "blue–white–red", components: components)
    }()

    /// The table index for a fraction (clamped to [0, 1]; NaN maps to 0).
    public func index(at fraction: Double) -> Int {
        guard fraction.isFinite else { return fraction == .infinity ? 255 : 0 }
        return Int((min(max(fraction, 0), 1) * 255).rounded())
    }

    /// The 8-bit colour of table entry `index` (clamped to 0…255).
    public func rgb8(_ index: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let entry = min(max(index, 0), 255) * 3
        return (entries[entry], entries[entry + 1], entries[entry + 2])
    }

    /// The colour for a fraction in [0, 1].
    public func color(at fraction: Double) -> Color {
        let (red, green, blue) = rgb8(index(at: fraction))
        return Color(red8: red, green8: green, blue8: blue)
    }
}
