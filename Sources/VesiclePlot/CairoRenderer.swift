import CCairo

/// Renders a `Figure` through Cairo: PNG (anti-aliased, 8-bit RGB, RGBA for a translucent background) or PDF (vector, with the
/// font embedded), text in `FigureDrawer.fontFamily`. SVG is written by `SVGRenderer`, whose
/// `<text>` stays text (Cairo's SVG surface turns glyphs into outlines).
public struct CairoRenderer: Sendable {
    public enum Format: Sendable {
        case png
        case pdf
    }

    public var format: Format
    /// Pixels per figure unit for PNG (2 for a high-resolution figure); ignored for PDF, whose unit is the point.
    public var scale: Double

    public init(format: Format, scale: Double = 1) {
        self.format = format
        self.scale = scale
    }

    public static let png = CairoRenderer(format: .png)
    public static let pdf = CairoRenderer(format: .pdf)

    /// The encoded file.
    /// - Complexity: O(points of all marks + pixels).
    public func render(_ figure: Figure) throws -> [UInt8] {
        guard (1...20_000).contains(figure.width), (1...20_000).contains(figure.height), scale > 0, scale <= 8 else {
            throw PlotError.invalidSize(width: figure.width, height: figure.height)
        }
        let sink = ByteSink()
        let opaque = Unmanaged.passUnretained(sink).toOpaque()
        let surface: OpaquePointer?
        switch format {
        case .png:
            // Figures are opaque (the background is painted first): 8-bit RGB files without an
            // alpha channel, unless the background itself is translucent.
            surface = cairo_image_surface_create(
                figure.background.alpha == 255 ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32, Int32((Double(figure.width) * scale).rounded()), Int32((Double(figure.height) * scale).rounded()))
        case .pdf:
            surface = cairo_pdf_surface_create_for_stream(appendToSink, opaque, Double(figure.width), Double(figure.height))
        }
        defer { cairo_surface_destroy(surface) }
        try Self.check(cairo_surface_status(surface), "creating the surface")
        let context = cairo_create(surface)
        defer { cairo_destroy(context) }
        if format == .png { cairo_scale(context, scale, scale) }
        CairoTextMetrics.selectFont(on: context)
        let canvas = CairoCanvas(context: context)
        FigureDrawer.draw(figure, on: canvas, metrics: CairoTextMetrics())
        try Self.check(cairo_status(context), "drawing")
        switch format {
        case .png:
            cairo_surface_flush(surface)
            try Self.check(cairo_surface_write_to_png_stream(surface, appendToSink, opaque), "encoding the PNG")
        case .pdf:
            cairo_surface_finish(surface)
            try Self.check(cairo_surface_status(surface), "writing the PDF")
        }
        return sink.bytes
    }

    private static func check(_ status: cairo_status_t, _ stage: String) throws {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.cairo(stage: stage, status: String(cString: cairo_status_to_string(status)))
        }
    }
}

/// Collects what a Cairo stream writes.
private final class ByteSink {
    var bytes: [UInt8] = []
}

/// Cairo's write callback: appends to the `ByteSink` passed as `closure`.
private func appendToSink(_ closure: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?, _ length: UInt32) -> cairo_status_t {
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}

/// The Cairo backend's canvas.
final class CairoCanvas: PlotCanvas {
    private let context: OpaquePointer?

    init(context: OpaquePointer?) { self.context = context }

    private func source(_ color: PlotColor) {
        cairo_set_source_rgba(context, Double(color.red) / 255, Double(color.green) / 255, Double(color.blue) / 255, color.opacity)
    }

    func fill(_ rect: PlotRect, color: PlotColor) {
        source(color)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(context)
    }

    func stroke(_ rect: PlotRect, color: PlotColor, width: Double) {
        source(color)
        cairo_set_line_width(context, width)
        cairo_set_dash(context, nil, 0, 0)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_stroke(context)
    }

    func squares(_ centres: [(x: Double, y: Double)], size: Double, color: PlotColor) {
        guard !centres.isEmpty else { return }
        source(color)
        for p in centres { cairo_rectangle(context, p.x - size / 2, p.y - size / 2, size, size) }
        cairo_fill(context)
    }

    func polylines(_ runs: [[(x: Double, y: Double)]], color: PlotColor, width: Double, dash: [Double]?) {
        source(color)
        cairo_set_line_width(context, width)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        if let dash { cairo_set_dash(context, dash, Int32(dash.count), 0) } else { cairo_set_dash(context, nil, 0, 0) }
        for run in runs {
            guard let first = run.first else { continue }
            cairo_move_to(context, first.x, first.y)
            for p in run.dropFirst() { cairo_line_to(context, p.x, p.y) }
        }
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    func fillPolygon(_ points: [(x: Double, y: Double)], color: PlotColor) {
        guard let first = points.first else { return }
        source(color)
        cairo_move_to(context, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
        cairo_close_path(context)
        cairo_fill(context)
    }

    func text(_ string: String, x: Double, y: Double, size: Double, anchor: TextAnchor, rotated: Bool, color: PlotColor) {
        guard !string.isEmpty else { return }
        source(color)
        cairo_set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        let shift: Double
        switch anchor {
        case .start: shift = 0
        case .middle: shift = -extents.x_advance / 2
        case .end: shift = -extents.x_advance
        }
        cairo_save(context)
        cairo_translate(context, x, y)
        if rotated { cairo_rotate(context, -Double.pi / 2) }
        cairo_move_to(context, shift, 0)
        cairo_show_text(context, string)
        cairo_restore(context)
    }

    func beginClip(_ rect: PlotRect) {
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
    }

    func endClip() { cairo_restore(context) }
}
