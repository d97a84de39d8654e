/// Where a panel's axes and legend go in figure pixels, computed once and used by every backend
/// and by the tests. The legend never covers data: with `LegendPosition.automatic` it takes the
/// first corner of the axes (top right, top left, bottom right, bottom left, 4 px inset) whose box
/// no mark enters (a point's square, a line segment, a band's vertical extent at a sample, a bar),
/// and otherwise goes outside the axes to their right, which are narrowed to make room.
public struct PanelLayout {
    public static let legendFontSize = 11.0
    public static let legendRowHeight = 16.0
    /// Swatch, gap and padding around the widest label.
    static let legendChrome = 30.0

    public var plotArea: PlotRect
    /// The legend's box, nil without legend entries.
    public var legendBox: PlotRect?
    public var legendOutside: Bool

    /// - Complexity: O(marks' points) per corner tried (at most four).
    public init(panel: PlotPanel, metrics: TextMetrics) {
        legendOutside = false
        guard !panel.legend.isEmpty else {
            plotArea = panel.plotArea()
            legendBox = nil
            return
        }
        let labelWidth = panel.legend.map { metrics.width(of: $0.label, size: Self.legendFontSize) }.max() ?? 0
        let size = (width: labelWidth + Self.legendChrome, height: Double(panel.legend.count) * Self.legendRowHeight + 6)
        if panel.legendPosition == .automatic {
            let area = panel.plotArea()
            let inset = 4.0
            let left = area.x + inset, right = area.x + area.width - inset - size.width
            let top = area.y + inset, bottom = area.y + area.height - inset - size.height
            if size.width + 2 * inset <= area.width, size.height + 2 * inset <= area.height {
                for (x, y) in [(right, top), (left, top), (right, bottom), (left, bottom)] {
                    let box = PlotRect(x: x, y: y, width: size.width, height: size.height)
                    if !Self.marks(of: panel, in: area, enter: box) {
                        plotArea = area
                        legendBox = box
                        return
                    }
                }
            }
        }
        let gap = 12.0
        plotArea = panel.plotArea(extraRight: size.width + gap)
        legendBox = PlotRect(x: plotArea.x + plotArea.width + gap, y: plotArea.y, width: size.width, height: size.height)
        legendOutside = true
    }

    /// True when any mark of `panel`, drawn in `area`, has a pixel inside `box`.
    static func marks(of panel: PlotPanel, in area: PlotRect, enter box: PlotRect) -> Bool {
        func inside(_ p: (x: Double, y: Double), pad: Double = 0) -> Bool {
            p.x >= box.x - pad && p.x <= box.x + box.width + pad && p.y >= box.y - pad && p.y <= box.y + box.height + pad
        }
        func crosses(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Bool {
            if inside(a) || inside(b) { return true }
            // Liang–Barsky clipping of the segment against the box.
            var t0 = 0.0, t1 = 1.0
            let dx = b.x - a.x, dy = b.y - a.y
            for (p, q) in [(-dx, a.x - box.x), (dx, box.x + box.width - a.x), (-dy, a.y - box.y), (dy, box.y + box.height - a.y)] {
                if p == 0 {
                    if q < 0 { return false }
                } else {
                    let r = q / p
                    if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
                    if t0 > t1 { return false }
                }
            }
            return true
        }
        func pixel(_ x: Double, _ y: Double) -> (x: Double, y: Double)? {
            guard x.isFinite, y.isFinite else { return nil }
            let p = panel.pixel(x: x, y: y, in: area)
            guard p.x.isFinite, p.y.isFinite else { return nil }
            // Marks are clipped to the axes: only the visible part counts.
            return (min(max(p.x, area.x), area.x + area.width), min(max(p.y, area.y), area.y + area.height))
        }
        for mark in panel.marks {
            switch mark {
            case .points(let xs, let ys, _, let size):
                for (x, y) in zip(xs, ys) {
                    if let p = pixel(x, y), inside(p, pad: size / 2) { return true }
                }
            case .line(let xs, let ys, _, _, _):
                var previous: (x: Double, y: Double)?
                for (x, y) in zip(xs, ys) {
                    guard let p = pixel(x, y) else { previous = nil; continue }
                    if let q = previous { if crosses(q, p) { return true } } else if inside(p) { return true }
                    previous = p
                }
            case .band(let xs, let lower, let upper, _):
                var previous: ((x: Double, y: Double), (x: Double, y: Double))?
                for k in xs.indices where k < lower.count && k < upper.count {
                    guard let a = pixel(xs[k], lower[k]), let b = pixel(xs[k], upper[k]) else { previous = nil; continue }
                    if crosses(a, b) { return true }
                    if let previous {
                        let (pa, pb) = previous
                        if crosses(pa, a) || crosses(pb, b) { return true }
                        // A band wider than the box between two samples: the box is inside the band.
                        if pa.x <= box.x, a.x >= box.x + box.width,
                           min(pa.y, a.y, pb.y, b.y) <= box.y, max(pa.y, a.y, pb.y, b.y) >= box.y + box.height {
                            return true
                        }
                    }
                    previous = (a, b)
                }
            case .bars(let edges, let heights, _):
                for k in heights.indices where k + 1 < edges.count && heights[k] > 0 {
                    guard let top = pixel(edges[k], heights[k]),
                          let bottom = pixel(edges[k + 1], max(panel.yScale.lower, 0)) else { continue }
                    let bar = PlotRect(x: min(top.x, bottom.x), y: min(top.y, bottom.y),
                                       width: abs(bottom.x - top.x), height: abs(bottom.y - top.y))
                    if bar.x <= box.x + box.width, bar.x + bar.width >= box.x, bar.y <= box.y + box.height,
                       bar.y + bar.height >= box.y {
                        return true
                    }
                }
            }
        }
        return false
    }
}
