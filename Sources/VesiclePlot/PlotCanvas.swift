/// Where text is anchored horizontally.
public enum TextAnchor: Sendable {
    case start
    case middle
    case end
}

/// The drawing primitives every backend implements (`SVGRenderer`'s canvas, `CairoRenderer`'s),
/// in figure pixels (origin top left, y down). `FigureDrawer` lays a `Figure` out once and draws
/// it through this protocol, so all formats show the same layout.
public protocol PlotCanvas: AnyObject {
    func fill(_ rect: PlotRect, color: PlotColor)
    func stroke(_ rect: PlotRect, color: PlotColor, width: Double)
    /// Filled squares of side `size` centred on `centres` (raster dots, scatter points).
    func squares(_ centres: [(x: Double, y: Double)], size: Double, color: PlotColor)
    /// Connected runs of points; `dash` is an on-off pattern in pixels, nil for solid.
    func polylines(_ runs: [[(x: Double, y: Double)]], color: PlotColor, width: Double, dash: [Double]?)
    func fillPolygon(_ points: [(x: Double, y: Double)], color: PlotColor)
    /// Text with its baseline at `y`; `rotated` turns it 90° counter-clockwise about (x, y).
    func text(_ string: String, x: Double, y: Double, size: Double, anchor: TextAnchor, rotated: Bool, color: PlotColor)
    /// Restricts the following drawing to `rect` until `endClip`.
    func beginClip(_ rect: PlotRect)
    func endClip()
}
