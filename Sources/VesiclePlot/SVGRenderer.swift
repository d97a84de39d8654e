import Foundation

/// Renders a `Figure` as a standalone SVG 1.1 document. Marks are clipped to their axes; many
/// points share one `<path>` so a raster of 10^5 dots stays a few megabytes.
public enum SVGRenderer {
    public static func render(_ figure: Figure) -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(figure.width)" height="\(figure.height)" \
        viewBox="0 0 \(figure.width) \(figure.height)" font-family="Helvetica, Arial, sans-serif">

        """
        out += "<rect x=\"0\" y=\"0\" width=\"\(figure.width)\" height=\"\(figure.height)\" fill=\"\(figure.background.hex)\"/>\n"
        for (index, panel) in figure.panels.enumerated() {
            out += renderPanel(panel, id: index)
        }
        out += "</svg>\n"
        return out
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

    private static func text(
        _ string: String, x: Double, y: Double, size: Int = 12, anchor: String = "middle", rotate: Bool = false,
        color: PlotColor = .black
    ) -> String {
        let transform = rotate ? " transform=\"rotate(-90 \(number(x)) \(number(y)))\"" : ""
        return "<text x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" fill=\"\(color.hex)\"\(transform)>\(escape(string))</text>\n"
    }

    private static func renderPanel(_ panel: PlotPanel, id: Int) -> String {
        let area = panel.plotArea
        var out = "<g>\n"
        out += "<clipPath id=\"clip\(id)\"><rect x=\"\(number(area.x))\" y=\"\(number(area.y))\" width=\"\(number(area.width))\" height=\"\(number(area.height))\"/></clipPath>\n"
        out += "<g clip-path=\"url(#clip\(id))\">\n"
        for mark in panel.marks { out += renderMark(mark, panel: panel) }
        out += "</g>\n"
        out += "<rect x=\"\(number(area.x))\" y=\"\(number(area.y))\" width=\"\(number(area.width))\" height=\"\(number(area.height))\" fill=\"none\" stroke=\"black\" stroke-width=\"1\"/>\n"
        let bottom = area.y + area.height
        for tick in panel.xScale.ticks() {
            let x = area.x + panel.xScale.fraction(tick.value) * area.width
            out += "<line x1=\"\(number(x))\" y1=\"\(number(bottom))\" x2=\"\(number(x))\" y2=\"\(number(bottom + 5))\" stroke=\"black\"/>\n"
            out += text(tick.label, x: x, y: bottom + 18, size: 11)
        }
        let yTicks = panel.yCategories ?? panel.yScale.ticks()
        for tick in yTicks {
            let y = area.y + (1 - panel.yScale.fraction(tick.value)) * area.height
            out += "<line x1=\"\(number(area.x - 5))\" y1=\"\(number(y))\" x2=\"\(number(area.x))\" y2=\"\(number(y))\" stroke=\"black\"/>\n"
            out += text(tick.label, x: area.x - 8, y: y + 4, size: 11, anchor: "end")
        }
        out += text(panel.xLabel, x: area.x + area.width / 2, y: bottom + 38, size: 13)
        out += text(panel.yLabel, x: panel.frame.x + 16, y: area.y + area.height / 2, size: 13, rotate: true)
        out += text(panel.title, x: area.x + area.width / 2, y: panel.frame.y + 16, size: 14)
        if let note = panel.note {
            out += text(note, x: area.x + area.width / 2, y: panel.frame.y + 32, size: 10, color: .gray)
        }
        // Helvetica at 11 px averages under 6.5 px per character.
        let legendWidth = Double(panel.legend.map(\.label.count).max() ?? 0) * 6.5 + 30
        if !panel.legend.isEmpty {
            let boxX = area.x + area.width - legendWidth - 6
            let boxHeight = Double(panel.legend.count) * 16 + 6
            out += "<rect x=\"\(number(boxX))\" y=\"\(number(area.y + 3))\" width=\"\(number(legendWidth + 2))\" height=\"\(number(boxHeight))\" fill=\"white\" fill-opacity=\"0.86\"/>\n"
        }
        for (k, entry) in panel.legend.enumerated() {
            let y = area.y + 8 + Double(k) * 16
            let x = area.x + area.width - legendWidth
            out += "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"12\" height=\"10\" fill=\"\(entry.color.hex)\"/>\n"
            out += text(entry.label, x: x + 18, y: y + 9, size: 11, anchor: "start")
        }
        out += "</g>\n"
        return out
    }

    private static func renderMark(_ mark: PlotMark, panel: PlotPanel) -> String {
        switch mark {
        case .points(let xs, let ys, let color, let size):
            var d = ""
            d.reserveCapacity(xs.count * 24)
            let s = number(size)
            for (x, y) in zip(xs, ys) where x.isFinite && y.isFinite {
                let p = panel.pixel(x: x, y: y)
                d += "M\(number(p.x - size / 2)) \(number(p.y - size / 2))h\(s)v\(s)h-\(s)z"
            }
            return "<path d=\"\(d)\" fill=\"\(color.hex)\" fill-opacity=\"\(color.opacity)\"/>\n"
        case .line(let xs, let ys, let color, let width, let dashed):
            let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
            return "<path d=\"\(pathData(xs, ys, panel: panel))\" fill=\"none\" stroke=\"\(color.hex)\" stroke-opacity=\"\(color.opacity)\" stroke-width=\"\(number(width))\"\(dash)/>\n"
        case .band(let xs, let lower, let upper, let color):
            let points = zip(xs, zip(lower, upper)).filter { $0.0.isFinite && $0.1.0.isFinite && $0.1.1.isFinite }
            guard !points.isEmpty else { return "" }
            var d = ""
            for (k, point) in points.enumerated() {
                let p = panel.pixel(x: point.0, y: point.1.1)
                d += (k == 0 ? "M" : "L") + "\(number(p.x)) \(number(p.y))"
            }
            for point in points.reversed() {
                let p = panel.pixel(x: point.0, y: point.1.0)
                d += "L\(number(p.x)) \(number(p.y))"
            }
            return "<path d=\"\(d)Z\" fill=\"\(color.hex)\" fill-opacity=\"\(color.opacity)\" stroke=\"none\"/>\n"
        case .bars(let edges, let heights, let color):
            var out = ""
            for k in heights.indices where k + 1 < edges.count && heights[k] > 0 {
                let topLeft = panel.pixel(x: edges[k], y: heights[k])
                let bottomRight = panel.pixel(x: edges[k + 1], y: max(panel.yScale.lower, 0))
                out += "<rect x=\"\(number(topLeft.x))\" y=\"\(number(topLeft.y))\" width=\"\(number(bottomRight.x - topLeft.x))\" height=\"\(number(bottomRight.y - topLeft.y))\" fill=\"\(color.hex)\" fill-opacity=\"\(color.opacity)\" stroke=\"white\" stroke-width=\"0.5\"/>\n"
            }
            return out
        }
    }

    private static func pathData(_ xs: [Double], _ ys: [Double], panel: PlotPanel) -> String {
        var d = ""
        var penDown = false
        for (x, y) in zip(xs, ys) {
            guard x.isFinite, y.isFinite, panel.xScale.fraction(x).isFinite, panel.yScale.fraction(y).isFinite else {
                penDown = false
                continue
            }
            let p = panel.pixel(x: x, y: y)
            d += (penDown ? "L" : "M") + "\(number(p.x)) \(number(p.y))"
            penDown = true
        }
        return d
    }
}
