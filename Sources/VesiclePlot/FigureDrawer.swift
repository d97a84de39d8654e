/// Lays out a `Figure` (`PanelLayout`) and draws it through a `PlotCanvas`: marks clipped to the
/// axes, frame, ticks and tick labels, axis labels (y rotated), title, note, legend. One drawer
/// serves every backend, so SVG, PNG and PDF show the same figure.
public enum FigureDrawer {
    public static let fontFamily = "DejaVu Sans"
    static let tickSize = 11.0
    static let labelSize = 13.0
    static let titleSize = 14.0
    static let noteSize = 10.0

    /// - Complexity: O(points of all marks).
    public static func draw(_ figure: Figure, on canvas: PlotCanvas, metrics: TextMetrics) {
        canvas.fill(PlotRect(x: 0, y: 0, width: Double(figure.width), height: Double(figure.height)), color: figure.background)
        for panel in figure.panels { draw(panel, layout: PanelLayout(panel: panel, metrics: metrics), on: canvas) }
    }

    static func draw(_ panel: PlotPanel, layout: PanelLayout, on canvas: PlotCanvas) {
        let area = layout.plotArea
        canvas.beginClip(area)
        for mark in panel.marks { draw(mark, panel: panel, area: area, on: canvas) }
        canvas.endClip()
        canvas.stroke(area, color: .black, width: 1)
        let bottom = area.y + area.height
        var tickLines: [[(x: Double, y: Double)]] = []
        for tick in panel.xScale.ticks() {
            let x = area.x + panel.xScale.fraction(tick.value) * area.width
            tickLines.append([(x, bottom), (x, bottom + 5)])
            canvas.text(typeset(tick.label), x: x, y: bottom + 17, size: tickSize, anchor: .middle, rotated: false, color: .black)
        }
        for tick in panel.yCategories ?? panel.yScale.ticks() {
            let y = area.y + (1 - panel.yScale.fraction(tick.value)) * area.height
            tickLines.append([(area.x - 5, y), (area.x, y)])
            canvas.text(typeset(tick.label), x: area.x - 8, y: y + 4, size: tickSize, anchor: .end, rotated: false, color: .black)
        }
        canvas.polylines(tickLines, color: .black, width: 1, dash: nil)
        if !panel.xLabel.isEmpty {
            canvas.text(panel.xLabel, x: area.x + area.width / 2, y: bottom + 35, size: labelSize, anchor: .middle,
                        rotated: false, color: .black)
        }
        if !panel.yLabel.isEmpty {
            canvas.text(panel.yLabel, x: panel.frame.x + 18, y: area.y + area.height / 2, size: labelSize, anchor: .middle,
                        rotated: true, color: .black)
        }
        if !panel.title.isEmpty {
            canvas.text(panel.title, x: area.x + area.width / 2, y: panel.frame.y + 17, size: titleSize, anchor: .middle,
                        rotated: false, color: .black)
        }
        if let note = panel.note {
            canvas.text(note, x: area.x + area.width / 2, y: panel.frame.y + 32, size: noteSize, anchor: .middle,
                        rotated: false, color: .gray)
        }
        if let box = layout.legendBox {
            canvas.fill(box, color: PlotColor.white.withAlpha(layout.legendOutside ? 255 : 230))
            for (k, entry) in panel.legend.enumerated() {
                let y = box.y + 5 + Double(k) * PanelLayout.legendRowHeight
                canvas.fill(PlotRect(x: box.x + 6, y: y, width: 12, height: 10), color: entry.color)
                canvas.text(entry.label, x: box.x + 24, y: y + 9, size: PanelLayout.legendFontSize, anchor: .start,
                            rotated: false, color: .black)
            }
        }
    }

    /// A numeric tick label with a minus sign (U+2212) for its hyphen, as typeset numbers have.
    static func typeset(_ label: String) -> String {
        label.hasPrefix("-") && Double(label) != nil ? "\u{2212}" + label.dropFirst() : label
    }

    static func draw(_ mark: PlotMark, panel: PlotPanel, area: PlotRect, on canvas: PlotCanvas) {
        func pixel(_ x: Double, _ y: Double) -> (x: Double, y: Double)? {
            guard x.isFinite, y.isFinite else { return nil }
            let p = panel.pixel(x: x, y: y, in: area)
            return p.x.isFinite && p.y.isFinite ? p : nil
        }
        switch mark {
        case .points(let xs, let ys, let color, let size):
            canvas.squares(zip(xs, ys).compactMap { pixel($0, $1) }, size: size, color: color)
        case .line(let xs, let ys, let color, let width, let dashed):
            var runs: [[(x: Double, y: Double)]] = [[]]
            for (x, y) in zip(xs, ys) {
                if let p = pixel(x, y) { runs[runs.count - 1].append(p) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            canvas.polylines(runs.filter { $0.count > 1 }, color: color, width: width, dash: dashed ? [6, 4] : nil)
        case .band(let xs, let lower, let upper, let color):
            let samples = xs.indices.filter { $0 < lower.count && $0 < upper.count }
                .compactMap { k -> ((x: Double, y: Double), (x: Double, y: Double))? in
                    guard let a = pixel(xs[k], lower[k]), let b = pixel(xs[k], upper[k]) else { return nil }
                    return (a, b)
                }
            guard samples.count > 1 else { return }
            canvas.fillPolygon(samples.map { $0.1 } + samples.reversed().map { $0.0 }, color: color)
        case .bars(let edges, let heights, let color):
            for k in heights.indices where k + 1 < edges.count && heights[k] > 0 {
                guard let top = pixel(edges[k], heights[k]), let base = pixel(edges[k + 1], max(panel.yScale.lower, 0)) else { continue }
                let bar = PlotRect(x: top.x, y: top.y, width: base.x - top.x, height: base.y - top.y)
                canvas.fill(bar, color: color)
                canvas.stroke(bar, color: .white, width: 0.5)
            }
        }
    }
}
