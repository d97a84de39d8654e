import Foundation

/// Renders a `Figure` as a standalone SVG 1.1 document with its text as `<text>` elements (editable
/// in Inkscape or Illustrator, searchable, and checked by the tests), in DejaVu Sans with the
/// fontconfig sans-serif as fallback, laid out with Cairo's measure of that font. Marks are clipped
/// to their axes; many points share one `<path>`, so a raster of 10^5 dots stays a few megabytes.
public enum SVGRenderer {
    public static func render(_ figure: Figure) -> String {
        let canvas = SVGCanvas(width: figure.width, height: figure.height)
        FigureDrawer.draw(figure, on: canvas, metrics: CairoTextMetrics())
        return canvas.document()
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Escapes the five XML special characters.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// The SVG backend's canvas: each primitive appends elements to the document.
final class SVGCanvas: PlotCanvas {
    private var body = ""
    private var clips = 0
    private let width: Int
    private let height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    private func n(_ value: Double) -> String { SVGRenderer.number(value) }

    private func paint(_ attribute: String, _ color: PlotColor) -> String {
        color.alpha == 255 ? "\(attribute)=\"\(color.hex)\""
            : "\(attribute)=\"\(color.hex)\" \(attribute)-opacity=\"\(String(format: "%.3f", color.opacity))\""
    }

    func document() -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(width)" height="\(height)" \
        viewBox="0 0 \(width) \(height)" font-family="\(FigureDrawer.fontFamily), sans-serif">

        """ + body + "</svg>\n"
    }

    func fill(_ rect: PlotRect, color: PlotColor) {
        body += "<rect x=\"\(n(rect.x))\" y=\"\(n(rect.y))\" width=\"\(n(rect.width))\" height=\"\(n(rect.height))\" \(paint("fill", color))/>\n"
    }

    func stroke(_ rect: PlotRect, color: PlotColor, width: Double) {
        body += "<rect x=\"\(n(rect.x))\" y=\"\(n(rect.y))\" width=\"\(n(rect.width))\" height=\"\(n(rect.height))\" fill=\"none\" \(paint("stroke", color)) stroke-width=\"\(n(width))\"/>\n"
    }

    func squares(_ centres: [(x: Double, y: Double)], size: Double, color: PlotColor) {
        guard !centres.isEmpty else { return }
        var d = ""
        d.reserveCapacity(centres.count * 24)
        let s = n(size)
        for p in centres { d += "M\(n(p.x - size / 2)) \(n(p.y - size / 2))h\(s)v\(s)h-\(s)z" }
        body += "<path d=\"\(d)\" \(paint("fill", color))/>\n"
    }

    func polylines(_ runs: [[(x: Double, y: Double)]], color: PlotColor, width: Double, dash: [Double]?) {
        var d = ""
        for run in runs {
            for (k, p) in run.enumerated() { d += (k == 0 ? "M" : "L") + "\(n(p.x)) \(n(p.y))" }
        }
        guard !d.isEmpty else { return }
        let dashes = dash.map { " stroke-dasharray=\"\($0.map(n).joined(separator: " "))\"" } ?? ""
        body += "<path d=\"\(d)\" fill=\"none\" \(paint("stroke", color)) stroke-width=\"\(n(width))\"\(dashes)/>\n"
    }

    func fillPolygon(_ points: [(x: Double, y: Double)], color: PlotColor) {
        guard !points.isEmpty else { return }
        var d = ""
        for (k, p) in points.enumerated() { d += (k == 0 ? "M" : "L") + "\(n(p.x)) \(n(p.y))" }
        body += "<path d=\"\(d)Z\" \(paint("fill", color)) stroke=\"none\"/>\n"
    }

    func text(_ string: String, x: Double, y: Double, size: Double, anchor: TextAnchor, rotated: Bool, color: PlotColor) {
        let anchorName: String
        switch anchor {
        case .start: anchorName = "start"
        case .middle: anchorName = "middle"
        case .end: anchorName = "end"
        }
        let transform = rotated ? " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" : ""
        body += "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchorName)\" \(paint("fill", color))\(transform)>\(SVGRenderer.escape(string))</text>\n"
    }

    func beginClip(_ rect: PlotRect) {
        clips += 1
        body += "<clipPath id=\"clip\(clips)\"><rect x=\"\(n(rect.x))\" y=\"\(n(rect.y))\" width=\"\(n(rect.width))\" height=\"\(n(rect.height))\"/></clipPath>\n"
        body += "<g clip-path=\"url(#clip\(clips))\">\n"
    }

    func endClip() { body += "</g>\n" }
}
