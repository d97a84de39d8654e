/// Measures text for layout (legend boxes, tick labels), in pixels, so that what a backend draws
/// fits where the layout put it. `CairoTextMetrics` measures with the font the figures use.
public protocol TextMetrics: AnyObject {
    /// Advance width of `text` at `size` pixels.
    func width(of text: String, size: Double) -> Double
}
