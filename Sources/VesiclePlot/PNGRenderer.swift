/// Renders a `Figure` into an `RGBARaster` and PNG bytes, with the same layout as the SVG. Text
/// uses the 3x5 bitmap font; the y-axis label is written horizontally above the axes.
public enum PNGRenderer {
    public static func rasterize(_ figure: Figure) throws -> RGBARaster {
        var raster = try RGBARaster(width: figure.width, height: figure.height, background: figure.background)
        for panel in figure.panels { draw(panel, on: &raster) }
        return raster
    }

    public static func render(_ figure: Figure) throws -> [UInt8] {
        try PNGEncoder.encode(rasterize(figure))
    }

    private static func draw(_ panel: PlotPanel, on raster: inout RGBARaster) {
        let area = panel.plotArea
        let clip = (Int(area.x.rounded()), Int(area.y.rounded()), Int((area.x + area.width).rounded()), Int((area.y + area.height).rounded()))
        for mark in panel.marks { draw(mark, panel: panel, clip: clip, on: &raster) }
        let left = area.x, right = area.x + area.width, top = area.y, bottom = area.y + area.height
        raster.drawLine(x0: left, y0: top, x1: right, y1: top, color: .black)
        raster.drawLine(x0: left, y0: bottom, x1: right, y1: bottom, color: .black)
        raster.drawLine(x0: left, y0: top, x1: left, y1: bottom, color: .black)
        raster.drawLine(x0: right, y0: top, x1: right, y1: bottom, color: .black)
        for tick in panel.xScale.ticks() {
            let x = left + panel.xScale.fraction(tick.value) * area.width
            raster.drawLine(x0: x, y0: bottom, x1: x, y1: bottom + 5, color: .black)
            centred(tick.label, x: x, y: bottom + 9, on: &raster)
        }
        for tick in panel.yCategories ?? panel.yScale.ticks() {
            let y = top + (1 - panel.yScale.fraction(tick.value)) * area.height
            raster.drawLine(x0: left - 5, y0: y, x1: left, y1: y, color: .black)
            let width = Double(RGBARaster.textWidth(tick.label))
            raster.drawText(tick.label, x: left - 9 - width, y: y - 5, color: .black)
        }
        centred(panel.xLabel, x: left + area.width / 2, y: bottom + 28, on: &raster)
        raster.drawText(panel.yLabel, x: panel.frame.x + 6, y: top - 14, color: .black)
        centred(panel.title, x: left + area.width / 2, y: panel.frame.y + 6, on: &raster)
        if let note = panel.note {
            let width = Double(RGBARaster.textWidth(note, scale: 1))
            raster.drawText(note, x: left + area.width / 2 - width / 2, y: panel.frame.y + 22, color: .gray, scale: 1)
        }
        let legendWidth = Double(panel.legend.map { RGBARaster.textWidth($0.label) }.max() ?? 0) + 30
        if !panel.legend.isEmpty {
            raster.fillRectangle(
                x0: right - legendWidth - 6, y0: top + 3, x1: right - 4, y1: top + 8 + Double(panel.legend.count) * 16,
                color: PlotColor.white.withAlpha(220))
        }
        for (k, entry) in panel.legend.enumerated() {
            let y = top + 8 + Double(k) * 16
            let x = right - legendWidth
            raster.fillRectangle(x0: x, y0: y, x1: x + 11, y1: y + 9, color: entry.color)
            raster.drawText(entry.label, x: x + 18, y: y, color: .black)
        }
    }

    private static func centred(_ text: String, x: Double, y: Double, on raster: inout RGBARaster) {
        raster.drawText(text, x: x - Double(RGBARaster.textWidth(text)) / 2, y: y, color: .black)
    }

    private static func draw(_ mark: PlotMark, panel: PlotPanel, clip: (Int, Int, Int, Int), on raster: inout RGBARaster) {
        switch mark {
        case .points(let xs, let ys, let color, let size):
            let half = max(0, (size - 1) / 2)
            for (x, y) in zip(xs, ys) where x.isFinite && y.isFinite {
                let p = panel.pixel(x: x, y: y)
                raster.fillRectangle(x0: p.x - half, y0: p.y - half, x1: p.x + half, y1: p.y + half, color: color, clip: clip)
            }
        case .line(let xs, let ys, let color, let width, let dashed):
            var previous: (x: Double, y: Double)?
            for (x, y) in zip(xs, ys) {
                guard x.isFinite, y.isFinite, panel.xScale.fraction(x).isFinite, panel.yScale.fraction(y).isFinite else {
                    previous = nil
                    continue
                }
                let p = panel.pixel(x: x, y: y)
                if let q = previous {
                    raster.drawLine(
                        x0: q.x, y0: q.y, x1: p.x, y1: p.y, color: color, thickness: max(1, Int(width.rounded())),
                        clip: clip, dashed: dashed)
                }
                previous = p
            }
        case .band(let xs, let lower, let upper, let color):
            let samples = xs.indices.filter { $0 < lower.count && $0 < upper.count && xs[$0].isFinite && lower[$0].isFinite && upper[$0].isFinite }
            let outline = samples.map { panel.pixel(x: xs[$0], y: upper[$0]) } + samples.reversed().map { panel.pixel(x: xs[$0], y: lower[$0]) }
            raster.fillPolygon(outline, color: color, clip: clip)
        case .bars(let edges, let heights, let color):
            for k in heights.indices where k + 1 < edges.count && heights[k] > 0 {
                let a = panel.pixel(x: edges[k], y: heights[k])
                let b = panel.pixel(x: edges[k + 1], y: max(panel.yScale.lower, 0))
                raster.fillRectangle(x0: a.x, y0: a.y, x1: b.x - 1, y1: b.y, color: color, clip: clip)
            }
        }
    }
}
