import XCTest
@testable import VesiclePlot

/// Legends never cover data: inside the axes only in a corner no mark enters, otherwise outside.
/// Checked against the marks' pixels computed here, independently of `PanelLayout`'s own test.
final class LegendPlacementTests: XCTestCase {
    private let metrics = CairoTextMetrics()

    private func panel(_ marks: [PlotMark], legend: [String] = ["first series", "second series"]) -> PlotPanel {
        PlotPanel(
            frame: PlotRect(x: 0, y: 0, width: 600, height: 400), xScale: AxisScale(lower: 0, upper: 10),
            yScale: AxisScale(lower: 0, upper: 10), marks: marks,
            legend: legend.enumerated().map { LegendEntry($1, PlotColor.series($0)) })
    }

    /// Every data point drawn, as pixels: line vertices densified to 0.01 data units.
    private func pixels(of panel: PlotPanel, in area: PlotRect) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        for mark in panel.marks {
            switch mark {
            case .points(let xs, let ys, _, _):
                out += zip(xs, ys).map { panel.pixel(x: $0, y: $1, in: area) }
            case .line(let xs, let ys, _, _, _):
                for k in 1..<xs.count {
                    for step in 0...100 {
                        let f = Double(step) / 100
                        out.append(panel.pixel(x: xs[k - 1] + f * (xs[k] - xs[k - 1]), y: ys[k - 1] + f * (ys[k] - ys[k - 1]), in: area))
                    }
                }
            default: break
            }
        }
        return out
    }

    private func assertLegendCoversNothing(_ panel: PlotPanel, file: StaticString = #filePath, line: UInt = #line) throws -> PanelLayout {
        let layout = PanelLayout(panel: panel, metrics: metrics)
        let box = try XCTUnwrap(layout.legendBox, file: file, line: line)
        let covered = pixels(of: panel, in: layout.plotArea).filter {
            $0.x >= box.x && $0.x <= box.x + box.width && $0.y >= box.y && $0.y <= box.y + box.height
        }
        XCTAssertTrue(covered.isEmpty, "\(covered.count) data pixels under the legend at \(box)", file: file, line: line)
        XCTAssertGreaterThan(box.width, metrics.width(of: "second series", size: PanelLayout.legendFontSize), file: file, line: line)
        return layout
    }

    /// A falling line fills the top left and bottom right: the legend goes top right.
    func testLegendTakesAnEmptyCorner() throws {
        let falling = panel([.line(x: [0, 10], y: [10, 0], color: .black, width: 1, dashed: false)])
        let layout = try assertLegendCoversNothing(falling)
        XCTAssertFalse(layout.legendOutside)
        let box = try XCTUnwrap(layout.legendBox)
        XCTAssertGreaterThan(box.x, layout.plotArea.x + layout.plotArea.width / 2, "right half")
        XCTAssertLessThan(box.y, layout.plotArea.y + layout.plotArea.height / 2, "top half")
    }

    /// Data in the top right corner moves the legend to the next empty corner (top left).
    func testLegendAvoidsDataInTheTopRightCorner() throws {
        let corner = panel([.points(x: [9.5, 9.8, 9.9], y: [9.5, 9.8, 9.9], color: .black, size: 3),
                            .line(x: [0, 10], y: [0, 10], color: .black, width: 1, dashed: false)])
        let layout = try assertLegendCoversNothing(corner)
        XCTAssertFalse(layout.legendOutside)
        let box = try XCTUnwrap(layout.legendBox)
        XCTAssertLessThan(box.x, layout.plotArea.x + layout.plotArea.width / 2, "left half")
    }

    /// Dots everywhere: no corner is empty, so the legend sits outside, right of the narrowed axes.
    func testLegendGoesOutsideWhenEveryCornerHasData() throws {
        var xs: [Double] = [], ys: [Double] = []
        for i in 0...40 { for j in 0...40 { xs.append(Double(i) / 4); ys.append(Double(j) / 4) } }
        let full = panel([.points(x: xs, y: ys, color: .black, size: 2)])
        let layout = try assertLegendCoversNothing(full)
        XCTAssertTrue(layout.legendOutside)
        let box = try XCTUnwrap(layout.legendBox)
        XCTAssertGreaterThanOrEqual(box.x, layout.plotArea.x + layout.plotArea.width)
        XCTAssertLessThanOrEqual(box.x + box.width, full.frame.x + full.frame.width, "inside the figure")
        XCTAssertLessThan(layout.plotArea.width, full.plotArea().width)
    }

    /// The release figure's panels: no legend over a histogram bar, a point or a curve.
    func testReleaseFigureLegendsCoverNoData() throws {
        let rates = (0..<30).map { 0.5 * pow(100, Double($0) / 29) }
        let variability = ReleaseFigure.VariabilityData(
            rates: rates, variability: rates.map { 1 / $0.squareRoot() }, fit: { 1 / $0.squareRoot() }, fitLabel: "")
        let figure = try ReleaseFigure.make(histograms: [], variability: variability, posterior: [])
        _ = try assertLegendCoversNothing(figure.panels[0])
    }

    /// Without entries there is no legend and the axes keep their width.
    func testNoLegendNoBox() {
        let bare = panel([], legend: [])
        let layout = PanelLayout(panel: bare, metrics: metrics)
        XCTAssertNil(layout.legendBox)
        XCTAssertEqual(layout.plotArea, bare.plotArea())
    }
}
