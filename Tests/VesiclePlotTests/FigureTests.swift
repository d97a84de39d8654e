import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import VesiclePlot

/// Collects element names and text while checking an SVG document is well-formed XML.
final class SVGInspector: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    private var currentText = ""
    var rootName: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if rootName == nil { rootName = name }
        elements[name, default: 0] += 1
        currentText = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(currentText) }
    }

    static func parse(_ svg: String) -> SVGInspector? {
        let parser = XMLParser(data: Data(svg.utf8))
        let inspector = SVGInspector()
        parser.delegate = inspector
        return parser.parse() ? inspector : nil
    }
}

final class FigureTests: XCTestCase {
    /// Two populations of 1000 neurons, 10^6 spikes in all, with times spread over 1 s.
    func millionSpikes() -> [PopulationSpikes] {
        (0..<2).map { p in
            let count = 500_000
            let neurons = (0..<count).map { UInt64(($0 &* 7919) % 1000) }
            let times = (0..<count).map { Double($0) / Double(count) * 1000 }
            return PopulationSpikes(name: p == 0 ? "E" : "I<&>", neuronCount: 1000, neurons: neurons, times: times)
        }
    }

    func testRasterOfAMillionSpikesIsDownsampledAndWellFormed() throws {
        let populations = millionSpikes()
        let figure = try RasterFigure.make(populations: populations, from: 0, to: 1000, maxNeuronsPerPopulation: 100, maxDots: 50_000)
        let svg = SVGRenderer.render(figure)
        let inspector = try XCTUnwrap(SVGInspector.parse(svg), "SVG must be well-formed XML")
        XCTAssertEqual(inspector.rootName, "svg")
        XCTAssertTrue(inspector.texts.contains("Spike raster"))
        XCTAssertTrue(inspector.texts.contains("I<&>"), "names are escaped and survive parsing")
        XCTAssertTrue(inspector.texts.contains { $0.hasPrefix("Drawn: E ") }, "the downsampling rule is stated")
        XCTAssertTrue(inspector.texts.contains("time (ms)"))
        XCTAssertGreaterThanOrEqual(inspector.elements["line"] ?? 0, 10, "tick marks")
        let dots = figure.panels[0].marks.reduce(0) { total, mark in
            if case let .points(xs, _, _, _) = mark { return total + xs.count }
            return total
        }
        XCTAssertLessThanOrEqual(dots, 50_000)
        XCTAssertGreaterThan(dots, 10_000)
        let png = try DecodedPNG(PNGRenderer.render(figure))
        XCTAssertEqual(png.width, 1000)
        XCTAssertEqual(png.height, 760)
    }

    func testDownsamplingRule() {
        let population = PopulationSpikes(
            name: "E", neuronCount: 1000, neurons: (0..<1000).map(UInt64.init), times: Array(repeating: 1, count: 1000))
        let even = RasterFigure.select([population], maxNeuronsPerPopulation: 100, maxDots: 1_000_000)
        XCTAssertEqual(even.neurons[0], (0..<100).map { $0 * 10 })
        XCTAssertEqual(even.dots, 100)
        let capped = RasterFigure.select([population], maxNeuronsPerPopulation: 100, maxDots: 40)
        XCTAssertLessThanOrEqual(capped.dots, 40)
        XCTAssertGreaterThan(capped.dots, 0)
        let small = PopulationSpikes(name: "I", neuronCount: 3, neurons: [0, 1, 2], times: [1, 2, 3])
        XCTAssertEqual(RasterFigure.select([small], maxNeuronsPerPopulation: 100, maxDots: 10).neurons[0], [0, 1, 2])
    }

    func testTicksAndBins() {
        XCTAssertEqual(AxisScale(lower: 0, upper: 1000).ticks().map(\.value), [0, 200, 400, 600, 800, 1000])
        XCTAssertEqual(AxisScale(lower: 0, upper: 1000).ticks().map(\.label), ["0", "200", "400", "600", "800", "1000"])
        XCTAssertEqual(AxisScale(lower: -0.3, upper: 0.3).ticks().map(\.label), ["-0.2", "0", "0.2"])
        XCTAssertEqual(AxisScale(kind: .log10, lower: 0.1, upper: 1000).ticks().map(\.value), [0.1, 1, 10, 100, 1000])
        XCTAssertEqual(AxisScale(kind: .log10, lower: 1, upper: 10).fraction(10.0.squareRoot()), 0.5, accuracy: 1e-15)
        XCTAssertEqual(RasterFigure.rateBin(span: 1100), 5)
        XCTAssertEqual(RasterFigure.rateBin(span: 100), 0.5)
    }

    func testReleaseFigureHasAllPanelsAndParses() throws {
        let histograms = [
            ReleaseFigure.AmplitudeSample(synapse: 3, amplitudes: (0..<200).map { 0.5 + 0.01 * Double($0 % 37) }),
            ReleaseFigure.AmplitudeSample(synapse: 8, amplitudes: (0..<50).map { 0.7 + 0.02 * Double($0 % 11) }),
        ]
        let rates = [0.5, 1, 3, 10, 40]
        let variability = ReleaseFigure.VariabilityData(
            rates: rates, variability: rates.map { 1 / $0.squareRoot() }, fit: { 1 / $0.squareRoot() }, fitLabel: "a = 1",
            posteriorVariability: rates.map { 0.5 / $0.squareRoot() }, posteriorFit: { 0.5 / $0.squareRoot() })
        let time = (0..<100).map(Double.init)
        let posterior = [ReleaseFigure.PosteriorSeries(
            synapse: 3, time: time, mean: time.map { -0.669 + 0.001 * $0 }, variance: time.map { 0.07 / (1 + $0) },
            teacherTime: time, teacher: time.map { -0.6 + 0.0005 * $0 })]
        let figure = try ReleaseFigure.make(histograms: histograms, variability: variability, posterior: posterior)
        XCTAssertEqual(figure.panels.count, 3)
        XCTAssertEqual(figure.panels[1].xScale.kind, .log10)
        XCTAssertEqual(figure.panels[1].yScale.kind, .log10)
        XCTAssertEqual(figure.panels[1].marks.count, 4, "PSP points, their fit, posterior points, their fit")
        XCTAssertLessThanOrEqual(figure.panels[1].yScale.lower, 0.5 / 40.0.squareRoot(), "the y range covers both series")
        let inspector = try XCTUnwrap(SVGInspector.parse(SVGRenderer.render(figure)))
        XCTAssertTrue(inspector.texts.contains("presynaptic rate (Hz)"))
        let png = try DecodedPNG(PNGRenderer.render(figure))
        XCTAssertEqual(png.height, figure.height)
        XCTAssertThrowsError(try ReleaseFigure.make(histograms: [], variability: nil, posterior: []))
    }
}
