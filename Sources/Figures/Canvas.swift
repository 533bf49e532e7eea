import CCairo
import Foundation
import Imaging

/// The weight of a font face.
public enum FontWeight: Sendable, Equatable {
    case regular
    case bold
}

/// A font size (in points) and weight; the family comes from the canvas.
public struct Font: Sendable, Equatable {
    public var size: Double
    public var weight: FontWeight

    public init(size: Double, weight: FontWeight = .regular) {
        self.size = size
        self.weight = weight
    }
}

/// Where a text's anchor point sits horizontally.
public enum HorizontalAlignment: Sendable {
    case leading, center, trailing
}

/// Where a text's anchor point sits vertically.
public enum VerticalAlignment: Sendable {
    /// The anchor is the top of the font's ascent.
    case top
    /// The anchor is halfway between ascent and descent, for centring in a box.
    case middle
    /// The anchor is on the baseline.
    case baseline
    /// The anchor is the bottom of the font's descent.
    case bottom
}

/// The measured size of a line of text, in points.
public struct TextMetrics: Sendable, Equatable {
    /// Horizontal advance of the whole string.
    public var width: Double
    /// Font ascent (above the baseline), the same for every string in one font.
    public var ascent: Double
    /// Font descent (below the baseline), the same for every string in one font.
    public var descent: Double

    /// The height one line of this font occupies.
    public var lineHeight: Double { ascent + descent }
}

/// A thin wrapper over a Cairo image surface and its drawing context.
///
/// Coordinates are logical points; the surface has `scale` device pixels per point (2 by
/// default) so the figures stay sharp on HiDPI screens while the layout code thinks in points.
/// Text uses Cairo's toy text API, which takes UTF-8 and resolves the family through
/// fontconfig, so Spanish letters (á é í ó ú ñ ¿ ¡) render with DejaVu Sans.
///
/// A canvas is a reference type because it owns Cairo resources; it is not `Sendable` and is
/// meant to live inside one `render()` call.
public final class Canvas {
    /// Logical width in points.
    public let width: Double
    /// Logical height in points.
    public let height: Double
    /// Device pixels per point.
    public let scale: Double
    /// Width of the PNG in pixels.
    public let pixelWidth: Int
    /// Height of the PNG in pixels.
    public let pixelHeight: Int
    /// The font family every text on this canvas uses.
    public let fontFamily: String

    private let surface: OpaquePointer
    private let context: OpaquePointer

    /// Creates a canvas filled with `background`.
    ///
    /// - Parameters:
    ///   - width: logical width in points (> 0).
    ///   - height: logical height in points (> 0).
    ///   - scale: device pixels per point; the PNG is `width × scale` pixels wide.
    public init(width: Double, height: Double, scale: Double = 2, background: Color = .white,
                fontFamily: String = "DejaVu Sans") throws(FigureError) {
        guard width.isFinite, width > 0 else { throw .invalidValue(figure: "Canvas", what: "width", value: width) }
        guard height.isFinite, height > 0 else { throw .invalidValue(figure: "Canvas", what: "height", value: height) }
        guard scale.isFinite, scale > 0 else { throw .invalidValue(figure: "Canvas", what: "scale", value: scale) }
        let pixelWidth = Int((width * scale).rounded(.up))
        let pixelHeight = Int((height * scale).rounded(.up))
        // Cairo image surfaces are limited to 32767 pixels a side.
        guard pixelWidth <= 32_767, pixelHeight <= 32_767 else {
            throw .invalidValue(figure: "Canvas", what: "pixel size", value: Double(max(pixelWidth, pixelHeight)))
        }
        // RGB24 rather than ARGB32: the figures are opaque, and Cairo then writes an RGB PNG.
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(pixelWidth), Int32(pixelHeight)) else {
            throw .cairo(operation: "cairo_image_surface_create", status: "no surface")
        }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw .cairo(operation: "cairo_image_surface_create", status: Canvas.describe(surfaceStatus))
        }
        cairo_surface_set_device_scale(surface, scale, scale)
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw .cairo(operation: "cairo_create", status: "no context")
        }
        self.width = width
        self.height = height
        self.scale = scale
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
        self.fontFamily = fontFamily
        self.surface = surface
        self.context = context

        // Greyscale antialiasing without hinted metrics: the output must not depend on a
        // desktop's sub-pixel settings, and text widths must scale linearly for layout.
        if let options = cairo_font_options_create() {
            cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
            cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
            cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
            cairo_set_font_options(context, options)
            cairo_font_options_destroy(options)
        }
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        // Cover every device pixel, including a last partial row or column.
        fill(Rect(x: 0, y: 0, width: Double(pixelWidth) / scale, height: Double(pixelHeight) / scale),
             with: background, snapToPixels: false)
    }

    /// A tiny canvas used only to measure text before the real canvas's size is known.
    public static func measuring(fontFamily: String = "DejaVu Sans") throws(FigureError) -> Canvas {
        try Canvas(width: 1, height: 1, scale: 1, fontFamily: fontFamily)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    // MARK: Shapes

    /// Fills a rectangle. With `snapToPixels` its edges are moved to the nearest device pixel
    /// boundaries, so bars and cells have crisp edges and exact colours (tests rely on it).
    public func fill(_ rect: Rect, with color: Color, snapToPixels: Bool = true) {
        let area = snapToPixels ? snapped(rect) : rect
        guard area.width > 0, area.height > 0 else { return }
        setSource(color)
        cairo_rectangle(context, area.x, area.y, area.width, area.height)
        cairo_fill(context)
    }

    /// Fills a rectangle with rounded corners (badges, legend swatches).
    public func fillRoundedRectangle(_ rect: Rect, radius: Double, with color: Color) {
        let r = min(radius, rect.width / 2, rect.height / 2)
        guard rect.width > 0, rect.height > 0 else { return }
        cairo_new_sub_path(context)
        cairo_arc(context, rect.maxX - r, rect.minY + r, r, -Double.pi / 2, 0)
        cairo_arc(context, rect.maxX - r, rect.maxY - r, r, 0, Double.pi / 2)
        cairo_arc(context, rect.minX + r, rect.maxY - r, r, Double.pi / 2, Double.pi)
        cairo_arc(context, rect.minX + r, rect.minY + r, r, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(context)
        setSource(color)
        cairo_fill(context)
    }

    /// Strokes the outline of a rectangle, inside its edges.
    public func stroke(_ rect: Rect, color: Color, lineWidth: Double = 1) {
        let area = snapped(rect)
        let inset = lineWidth / 2
        setSource(color)
        cairo_set_line_width(context, lineWidth)
        cairo_set_dash(context, nil, 0, 0)
        cairo_rectangle(context, area.x + inset, area.y + inset, area.width - lineWidth, area.height - lineWidth)
        cairo_stroke(context)
    }

    /// Draws a straight line; `dash` lists on/off lengths in points (empty for solid).
    public func line(from start: Point, to end: Point, color: Color, width lineWidth: Double = 1,
                     dash: [Double] = []) {
        polyline([start, end], color: color, width: lineWidth, dash: dash)
    }

    /// Draws connected line segments through `points`.
    public func polyline(_ points: [Point], color: Color, width lineWidth: Double = 1.5,
                         dash: [Double] = []) {
        guard let first = points.first, points.count > 1 else { return }
        setSource(color)
        cairo_set_line_width(context, lineWidth)
        dash.withUnsafeBufferPointer { buffer in
            cairo_set_dash(context, buffer.baseAddress, Int32(buffer.count), 0)
        }
        cairo_move_to(context, first.x, first.y)
        for point in points.dropFirst() {
            cairo_line_to(context, point.x, point.y)
        }
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    /// Fills a closed polygon (markers, arrow heads).
    public func fillPolygon(_ points: [Point], with color: Color) {
        guard let first = points.first, points.count > 2 else { return }
        setSource(color)
        cairo_move_to(context, first.x, first.y)
        for point in points.dropFirst() {
            cairo_line_to(context, point.x, point.y)
        }
        cairo_close_path(context)
        cairo_fill(context)
    }

    /// Fills a circle.
    public func fillCircle(center: Point, radius: Double, with color: Color) {
        setSource(color)
        cairo_new_sub_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
        cairo_fill(context)
    }

    /// Restricts drawing to `rect` while `body` runs (lines that leave a plot area).
    public func clipped(to rect: Rect, _ body: () -> Void) {
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
        body()
        cairo_restore(context)
    }

    // MARK: Text

    /// Measures one line of text in `font`.
    public func measure(_ text: String, font: Font) -> TextMetrics {
        selectFont(font)
        var fontExtents = cairo_font_extents_t()
        cairo_font_extents(context, &fontExtents)
        var textExtents = cairo_text_extents_t()
        cairo_text_extents(context, text, &textExtents)
        return TextMetrics(width: textExtents.x_advance, ascent: fontExtents.ascent, descent: fontExtents.descent)
    }

    /// Draws one line of text anchored at `point`.
    ///
    /// - Parameter rotation: radians, counter-clockwise positive on screen (a y-axis label
    ///   reads bottom-to-top with `rotation: .pi / 2`).
    public func text(_ text: String, at point: Point, font: Font, color: Color,
                     horizontal: HorizontalAlignment = .leading, vertical: VerticalAlignment = .baseline,
                     rotation: Double = 0) {
        let metrics = measure(text, font: font)
        let dx: Double
        switch horizontal {
        case .leading: dx = 0
        case .center: dx = -metrics.width / 2
        case .trailing: dx = -metrics.width
        }
        let dy: Double
        switch vertical {
        case .top: dy = metrics.ascent
        case .middle: dy = (metrics.ascent - metrics.descent) / 2
        case .baseline: dy = 0
        case .bottom: dy = -metrics.descent
        }
        cairo_save(context)
        cairo_translate(context, point.x, point.y)
        if rotation != 0 {
            cairo_rotate(context, -rotation)
        }
        setSource(color)
        cairo_move_to(context, dx, dy)
        cairo_show_text(context, text)
        cairo_restore(context)
    }

    /// Draws a frame just outside `rect`, so it covers none of an image drawn in `rect`.
    public func frame(_ rect: Rect, color: Color, lineWidth: Double = 1) {
        stroke(Rect(x: rect.x - lineWidth, y: rect.y - lineWidth, width: rect.width + 2 * lineWidth,
                    height: rect.height + 2 * lineWidth), color: color, lineWidth: lineWidth)
    }

    // MARK: Images

    /// Draws `image` stretched over `rect` with nearest-neighbour sampling, so every source
    /// pixel stays a crisp block (a one-level perturbation must not be blurred away).
    public func draw(_ image: RGBImage, in rect: Rect) throws(FigureError) {
        guard image.width > 0, image.height > 0, image.pixels.count == image.width * image.height * 3 else {
            throw .malformedImage(width: image.width, height: image.height, byteCount: image.pixels.count)
        }
        guard let source = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(image.width), Int32(image.height)) else {
            throw .cairo(operation: "cairo_image_surface_create", status: "no surface")
        }
        defer { cairo_surface_destroy(source) }
        let status = cairo_surface_status(source)
        guard status == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(source) else {
            throw .cairo(operation: "cairo_image_surface_create", status: Canvas.describe(status))
        }
        cairo_surface_flush(source)
        let stride = Int(cairo_image_surface_get_stride(source))
        // RGB24 pixels are native-endian 32-bit words 0x00RRGGBB.
        image.pixels.withUnsafeBufferPointer { rgb in
            for y in 0..<image.height {
                let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                var offset = y * image.width * 3
                for x in 0..<image.width {
                    row[x] = UInt32(rgb[offset]) << 16 | UInt32(rgb[offset + 1]) << 8 | UInt32(rgb[offset + 2])
                    offset += 3
                }
            }
        }
        cairo_surface_mark_dirty(source)

        let area = snapped(rect)
        guard area.width > 0, area.height > 0 else { return }
        cairo_save(context)
        cairo_rectangle(context, area.x, area.y, area.width, area.height)
        cairo_clip(context)
        cairo_translate(context, area.x, area.y)
        cairo_scale(context, area.width / Double(image.width), area.height / Double(image.height))
        cairo_set_source_surface(context, source, 0, 0)
        if let pattern = cairo_get_source(context) {
            cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST)
            // PAD keeps the edge pixels' colour at the clip boundary instead of fading to black.
            cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)
        }
        cairo_paint(context)
        cairo_restore(context)
    }

    // MARK: Output

    /// Encodes the canvas as PNG bytes in memory.
    ///
    /// Through libpng with fixed fast settings (``PNGCompression/fast``) rather than Cairo's own
    /// writer, which uses libpng's slowest filter search and spent nine tenths of a figure's time
    /// compressing. No timestamp or other varying metadata is written, so the same drawing gives
    /// the same bytes every time (the result cache and the tests depend on that).
    public func pngData() throws(FigureError) -> [UInt8] {
        cairo_surface_flush(surface)
        let pixelWidth = Int(cairo_image_surface_get_width(surface))
        let pixelHeight = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else {
            throw .cairo(operation: "cairo_image_surface_get_data", status: "no pixel data")
        }
        // RGB24 pixels are native-endian 32-bit words 0x00RRGGBB, `stride` bytes a row.
        var rgb = [UInt8](repeating: 0, count: pixelWidth * pixelHeight * 3)
        rgb.withUnsafeMutableBufferPointer { out in
            for row in 0..<pixelHeight {
                let words = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
                var index = row * pixelWidth * 3
                for column in 0..<pixelWidth {
                    let word = words[column]
                    out[index] = UInt8(truncatingIfNeeded: word >> 16)
                    out[index + 1] = UInt8(truncatingIfNeeded: word >> 8)
                    out[index + 2] = UInt8(truncatingIfNeeded: word)
                    index += 3
                }
            }
        }
        do {
            return try ImageCodec.encodePNG(RGBImage(width: pixelWidth, height: pixelHeight, pixels: rgb),
                                            compression: .fast)
        } catch {
            throw .cairo(operation: "encoding the figure as PNG", status: error.description)
        }
    }

    // MARK: Helpers

    /// Moves a rectangle's edges onto device pixel boundaries.
    func snapped(_ rect: Rect) -> Rect {
        let left = (rect.minX * scale).rounded() / scale
        let top = (rect.minY * scale).rounded() / scale
        let right = (rect.maxX * scale).rounded() / scale
        let bottom = (rect.maxY * scale).rounded() / scale
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    private func setSource(_ color: Color) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }

    private func selectFont(_ font: Font) {
        cairo_select_font_face(context, fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               font.weight == .bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, font.size)
    }

    private static func describe(_ status: cairo_status_t) -> String {
        guard let message = cairo_status_to_string(status) else { return "status \(status.rawValue)" }
        return String(cString: message)
    }
}

