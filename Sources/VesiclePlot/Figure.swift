/// A rectangle in figure pixels (origin top left, y down).
public struct PlotRect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// One thing drawn in a panel, in data coordinates.
public enum PlotMark: Sendable {
    /// Small filled squares (raster dots, scatter points); `size` in pixels.
    case points(x: [Double], y: [Double], color: PlotColor, size: Double)
    /// A polyline; non-finite values break it.
    case line(x: [Double], y: [Double], color: PlotColor, width: Double, dashed: Bool)
    /// A shaded band between two curves (posterior mean ± 2 sd).
    case band(x: [Double], lower: [Double], upper: [Double], color: PlotColor)
    /// Histogram bars over `edges` (count + 1 values).
    case bars(edges: [Double], heights: [Double], color: PlotColor)
}

/// A legend entry: a colour swatch and its label.
public struct LegendEntry: Sendable, Equatable {
    public var label: String
    public var color: PlotColor
    public init(_ label: String, _ color: PlotColor) {
        self.label = label
        self.color = color
    }
}

/// Space around a panel's axes for its title, note, tick labels and axis labels, in pixels.
public struct PlotMargins: Sendable, Equatable {
    public var left: Double
    public var right: Double
    public var top: Double
    public var bottom: Double
    public init(left: Double = 72, right: Double = 16, top: Double = 40, bottom: Double = 46) {
        self.left = left
        self.right = right
        self.top = top
        self.bottom = bottom
    }
    public static let standard = PlotMargins()
}

/// Where a panel's legend goes. `automatic` puts it in the first corner of the axes (top right,
/// top left, bottom right, bottom left) that covers no data, and outside the axes, to their
/// right, when every corner would (`PanelLayout`).
public enum LegendPosition: Sendable, Equatable {
    case automatic
    case outsideRight
}

/// A set of axes with marks, labels and an optional legend and note.
public struct PlotPanel: Sendable {
    /// The panel's cell in figure pixels; the axes sit inside it with margins for labels.
    public var frame: PlotRect
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var marks: [PlotMark]
    public var legend: [LegendEntry]
    /// A line of small text under the title (e.g. the downsampling rule).
    public var note: String?
    /// Category labels replacing numeric y ticks (population names at their band centres).
    public var yCategories: [(value: Double, label: String)]?
    public var margins: PlotMargins
    public var legendPosition: LegendPosition

    public init(
        frame: PlotRect, xScale: AxisScale, yScale: AxisScale, title: String = "", xLabel: String = "",
        yLabel: String = "", marks: [PlotMark] = [], legend: [LegendEntry] = [], note: String? = nil,
        yCategories: [(value: Double, label: String)]? = nil, margins: PlotMargins = .standard,
        legendPosition: LegendPosition = .automatic
    ) {
        self.margins = margins
        self.legendPosition = legendPosition
        self.frame = frame
        self.xScale = xScale
        self.yScale = yScale
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.marks = marks
        self.legend = legend
        self.note = note
        self.yCategories = yCategories
    }

    /// The axes rectangle inside the frame, with `extraRight` more pixels kept free on the right
    /// (for a legend outside the axes).
    public func plotArea(extraRight: Double = 0) -> PlotRect {
        PlotRect(
            x: frame.x + margins.left, y: frame.y + margins.top,
            width: max(1, frame.width - margins.left - margins.right - extraRight),
            height: max(1, frame.height - margins.top - margins.bottom))
    }

    /// Pixel position of a data point in axes `area`.
    public func pixel(x: Double, y: Double, in area: PlotRect) -> (x: Double, y: Double) {
        (area.x + xScale.fraction(x) * area.width, area.y + (1 - yScale.fraction(y)) * area.height)
    }
}

/// A whole figure: a canvas of `width` x `height` pixels holding panels.
public struct Figure: Sendable {
    public var width: Int
    public var height: Int
    public var panels: [PlotPanel]
    public var background: PlotColor

    public init(width: Int, height: Int, panels: [PlotPanel] = [], background: PlotColor = .white) {
        self.width = width
        self.height = height
        self.panels = panels
        self.background = background
    }
}
