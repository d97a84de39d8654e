import CCairo

/// Text widths in the figures' font (`FigureDrawer.fontFamily`, found by fontconfig; its default
/// sans-serif if DejaVu Sans is missing), measured by Cairo on a 1 x 1 scratch surface. Not shared
/// between threads: each render makes its own.
public final class CairoTextMetrics: TextMetrics {
    private let surface: OpaquePointer?
    private let context: OpaquePointer?

    public init() {
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        context = cairo_create(surface)
        Self.selectFont(on: context)
    }

    /// The figures' font on `context`, with unhinted metrics: widths scale with the size and are the
    /// same at every resolution, so SVG, PNG (at any `scale`) and PDF share one layout.
    static func selectFont(on context: OpaquePointer?) {
        cairo_select_font_face(context, FigureDrawer.fontFamily, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    public func width(of text: String, size: Double) -> Double {
        cairo_set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// The font fontconfig gave for `FigureDrawer.fontFamily` (for the tests and for reports).
    public var resolvedFamily: String {
        guard let face = cairo_get_font_face(context), cairo_font_face_get_type(face) == CAIRO_FONT_TYPE_TOY,
              let family = cairo_toy_font_face_get_family(face) else { return "" }
        return String(cString: family)
    }
}
