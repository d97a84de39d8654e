import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import VesiclePlot

/// Collects element names, text and `<rect>`s while checking an SVG document is well-formed XML.
final class SVGInspector: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    /// Every `<text>`'s content with its font size and position.
    var textElements: [(text: String, x: Double, y: Double, size: Double)] = []
    private var currentText = ""
    private var currentAttributes: [String: String] = [:]
    var rootName: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if rootName == nil { rootName = name }
        elements[name, default: 0] += 1
        currentText = ""
        if name == "text" { currentAttributes = attributes }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" {
            texts.append(currentText)
            textElements.append((currentText, Double(currentAttributes["x"] ?? "") ?? .nan,
                                 Double(currentAttributes["y"] ?? "") ?? .nan, Double(currentAttributes["font-size"] ?? "") ?? .nan))
        }
    }

    static func parse(_ svg: String) -> SVGInspector? {
        let parser = XMLParser(data: Data(svg.utf8))
        let inspector = SVGInspector()
        parser.delegate = inspector
        return parser.parse() ? inspector : nil
    }
}

/// Width and height from a PNG's IHDR chunk (bytes 16-23, big-endian), after checking the signature.
func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
    guard bytes.count > 24, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
          bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }
    func word(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (word(16), word(20))
}

func dotCount(_ panel: PlotPanel) -> Int {
    panel.marks.reduce(0) { total, mark in
        if case let .points(xs, _, _, _) = mark { return total + xs.count }
        return total
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
        XCTAssertTrue(inspector.texts.contains("Spike raster, 0–1000 ms"), "\(inspector.texts.prefix(5))")
        XCTAssertTrue(inspector.texts.contains("I<&>"), "names are escaped and survive parsing")
        XCTAssertTrue(inspector.texts.contains { $0.hasPrefix("Drawn: E ") }, "the downsampling rule is stated")
        // Units keep their case (the bitmap font this replaces drew capitals only).
        XCTAssertTrue(inspector.texts.contains("time (ms)"))
        XCTAssertTrue(inspector.texts.contains("rate (Hz)"))
        XCTAssertFalse(inspector.texts.contains { $0.contains("(MS)") || $0.contains("(HZ)") })
        let dots = dotCount(figure.panels[0])
        XCTAssertLessThanOrEqual(dots, 50_000)
        XCTAssertGreaterThan(dots, 10_000)
        let png = try CairoRenderer.png.render(figure)
        let size = try XCTUnwrap(pngSize(png))
        XCTAssertEqual(size.width, 1000)
        XCTAssertEqual(size.height, figure.height)
        let double = try XCTUnwrap(pngSize(CairoRenderer(format: .png, scale: 2).render(figure)))
        XCTAssertEqual(double.width, 2000)
    }

    /// The plotted window is [from, to]: a raster starting after a 200 ms warm-up has its x axis from
    /// 200 ms, ticks only inside it, and no dot before it, in every panel.
    func testRasterStartsAfterTheWarmUp() throws {
        let population = PopulationSpikes(
            name: "E", neuronCount: 10, neurons: (0..<1000).map { UInt64($0 % 10) }, times: (0..<1000).map { Double($0) * 1.2 })
        let figure = try RasterFigure.make(populations: [population], from: 200, to: 1200)
        for panel in figure.panels {
            XCTAssertEqual(panel.xScale.lower, 200)
            XCTAssertEqual(panel.xScale.upper, 1200)
            XCTAssertGreaterThanOrEqual(panel.xScale.ticks().map(\.value).min() ?? 0, 200)
        }
        if case let .points(xs, _, _, _) = figure.panels[0].marks[0] {
            XCTAssertEqual(xs.min(), 200.4, "the first dot is the first spike at or after 200 ms (167 x 1.2)")
            XCTAssertEqual(xs.count, 833, "spikes k = 167...999 at t = 1.2 k")
        } else {
            XCTFail("the raster's first mark holds its dots")
        }
        let inspector = try XCTUnwrap(SVGInspector.parse(SVGRenderer.render(figure)))
        let area = PanelLayout(panel: figure.panels[0], metrics: CairoTextMetrics()).plotArea
        let tickLabels = inspector.textElements.filter { $0.size == 11 && abs($0.y - (area.y + area.height + 17)) < 0.01 }
            .compactMap { Double($0.text) }
        XCTAssertEqual(tickLabels, [200, 400, 600, 800, 1000, 1200], "the raster's x tick labels")
        XCTAssertTrue(tickLabels.contains(200))
        XCTAssertFalse(tickLabels.contains(0), "no tick at 0 ms: the warm-up is not drawn")
    }

    /// Eight populations: the raster and one rate panel each, each rate on its own y range (a 2 Hz
    /// population is not flattened under a 60 Hz one), each at least 100 px tall and named.
    func testEightPopulationsGetOneRatePanelEach() throws {
        let populations = (0..<8).map { p in
            let rate = p == 0 ? 60.0 : 2.0
            let count = Int(rate) * 50
            return PopulationSpikes(
                name: "P\(p)", neuronCount: 50, neurons: (0..<count).map { UInt64($0 % 50) },
                times: (0..<count).map { 1000 * Double($0) / Double(count) })
        }
        let figure = try RasterFigure.make(populations: populations, from: 0, to: 1000)
        XCTAssertEqual(figure.panels.count, 9)
        for (p, panel) in figure.panels.dropFirst().enumerated() {
            XCTAssertTrue(panel.title.hasPrefix("P\(p): population rate"), panel.title)
            XCTAssertGreaterThanOrEqual(panel.frame.height, 100)
            XCTAssertEqual(panel.yScale.lower, 0)
            // 5 ms bins: P0's spikes every 1/3 ms put 15 in each bin (15 / 50 neurons / 5 ms = 60 Hz);
            // the others' every 10 ms put 1 in every other bin (4 Hz). Each axis ends 10 % above its own peak.
            let peak = p == 0 ? 60.0 : 4.0
            XCTAssertEqual(panel.yScale.upper, 1.1 * peak, accuracy: 1e-9, "rate panel \(p) is scaled to its own rates")
        }
        let bottom = figure.panels.map { $0.frame.y + $0.frame.height }.max() ?? 0
        XCTAssertLessThanOrEqual(bottom, Double(figure.height))
        XCTAssertEqual(figure.panels.filter { $0.xLabel == "time (ms)" }.count, 2, "the raster and the last rate panel")
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

    private func releaseInputs(teacher: Bool) -> (
        [ReleaseFigure.AmplitudeSample], ReleaseFigure.VariabilityData, [ReleaseFigure.PosteriorSeries]
    ) {
        let histograms = [
            ReleaseFigure.AmplitudeSample(synapse: 3, amplitudes: (0..<200).map { 0.5 + 0.01 * Double($0 % 37) }),
            ReleaseFigure.AmplitudeSample(synapse: 5, amplitudes: []),
            ReleaseFigure.AmplitudeSample(synapse: 8, amplitudes: (0..<50).map { 0.7 + 0.02 * Double($0 % 11) }),
        ]
        let rates = [0.5, 1, 3, 10, 40]
        let variability = ReleaseFigure.VariabilityData(
            rates: rates, variability: rates.map { 1 / $0.squareRoot() }, fit: { 1 / $0.squareRoot() }, fitLabel: "a = 1",
            posteriorVariability: rates.map { 0.5 / $0.squareRoot() }, posteriorFit: { 0.5 / $0.squareRoot() })
        let time = (0..<100).map(Double.init)
        let posterior = [
            ReleaseFigure.PosteriorSeries(
                synapse: 3, time: time, mean: time.map { -0.669 + 0.001 * $0 }, variance: time.map { 0.07 / (1 + $0) },
                teacherTime: teacher ? time : [], teacher: teacher ? time.map { -0.6 + 0.0005 * $0 } : []),
            ReleaseFigure.PosteriorSeries(synapse: 5, time: [], mean: [], variance: [], teacherTime: [], teacher: []),
        ]
        return (histograms, variability, posterior)
    }

    func testReleaseFigureShowsOnlySynapsesWithDataAndSaysWhatItHolds() throws {
        let (histograms, variability, posterior) = releaseInputs(teacher: true)
        let figure = try ReleaseFigure.make(histograms: histograms, variability: variability, posterior: posterior)
        XCTAssertEqual(figure.panels.count, 3)
        XCTAssertEqual(figure.panels[0].title, "Released PSP amplitudes of 2 synapses")
        XCTAssertEqual(figure.panels[0].legend.map(\.label), ["synapse 3 (n = 200)", "synapse 8 (n = 50)"], "synapse 5 has no data")
        XCTAssertEqual(figure.panels[1].xScale.kind, .log10)
        XCTAssertEqual(figure.panels[1].yScale.kind, .log10)
        XCTAssertEqual(figure.panels[1].marks.count, 4, "PSP points, their fit, posterior points, their fit")
        XCTAssertLessThanOrEqual(figure.panels[1].yScale.lower, 0.5 / 40.0.squareRoot(), "the y range covers both series")
        XCTAssertEqual(figure.panels[2].title, "Posterior of 1 synapse over time against the teacher")
        let inspector = try XCTUnwrap(SVGInspector.parse(SVGRenderer.render(figure)))
        XCTAssertTrue(inspector.texts.contains("presynaptic rate (Hz)"))
        XCTAssertTrue(inspector.texts.contains("fit (a/ν)(√(1 + ν/ν₀) − 1)"), "real typography: Greek, root, subscript")
        XCTAssertEqual(try XCTUnwrap(pngSize(CairoRenderer.png.render(figure))).height, figure.height)
        XCTAssertThrowsError(try ReleaseFigure.make(histograms: [], variability: nil, posterior: []))

        let (h, v, p) = releaseInputs(teacher: false)
        let untaught = try ReleaseFigure.make(histograms: h, variability: v, posterior: p)
        XCTAssertEqual(untaught.panels[2].title, "Posterior of 1 synapse over time", "no teacher, no teacher in the title")
        XCTAssertFalse(untaught.panels[2].legend.contains { $0.label.contains("teacher") })
    }

    /// The amplitude axis carries the unit the run recorded (mV onto lif_delta, pA onto lif_exp),
    /// and says so when a run did not record one (issue 20: it had no unit).
    func testReleaseAmplitudeAxisCarriesItsUnit() throws {
        let (histograms, variability, posterior) = releaseInputs(teacher: false)
        let inPicoamperes = try ReleaseFigure.make(histograms: histograms, variability: variability, posterior: posterior,
                                                   amplitudeUnit: "pA")
        XCTAssertEqual(inPicoamperes.panels[0].xLabel, "released amplitude (pA)")
        XCTAssertEqual(inPicoamperes.panels[0].yLabel, "density (per pA)")
        let inspector = try XCTUnwrap(SVGInspector.parse(SVGRenderer.render(inPicoamperes)))
        XCTAssertTrue(inspector.texts.contains("released amplitude (pA)"), "unit case kept")
        let unknown = try ReleaseFigure.make(histograms: histograms, variability: variability, posterior: posterior)
        XCTAssertEqual(unknown.panels[0].xLabel, "released amplitude (unit not recorded)")
    }

    func testAFitWithACaveatIsDashedAndSaysSo() throws {
        let rates = [0.5, 1, 3, 10, 40]
        let variability = ReleaseFigure.VariabilityData(
            rates: rates, variability: rates.map { _ in 0.3 }, fit: { _ in 0.3 }, fitLabel: "", fitCaveat: "nu0 is not determined")
        let figure = try ReleaseFigure.make(histograms: [], variability: variability, posterior: [])
        XCTAssertTrue(figure.panels[0].legend.contains { $0.label.hasSuffix("ν₀ not determined") })
        guard case let .line(_, _, _, _, dashed) = figure.panels[0].marks[1] else { return XCTFail("the fit is a line") }
        XCTAssertTrue(dashed)
    }

    func testMembraneFigureKeepsUnitsAndNamesNeurons() throws {
        let time = (0..<200).map { Double($0) * 0.1 }
        let traces = MembraneFigure.PopulationTraces(
            population: "E", recordedNeurons: 12,
            neurons: (0..<12).map { j in
                MembraneFigure.NeuronTrace(neuron: UInt64(j), time: time, potential: time.map { -70 + Double(j) + sin($0) })
            })
        let figure = try MembraneFigure.make([traces])
        XCTAssertEqual(figure.panels.count, 1)
        XCTAssertEqual(figure.panels[0].legend.count, MembraneFigure.maximumNeuronsPerPanel)
        XCTAssertEqual(figure.panels[0].title, "Membrane potential of E: 8 of 12 recorded neurons")
        XCTAssertEqual(figure.panels[0].xScale.lower, 0)
        XCTAssertEqual(figure.panels[0].xScale.upper, 19.9, accuracy: 1e-12)
        let inspector = try XCTUnwrap(SVGInspector.parse(SVGRenderer.render(figure)))
        XCTAssertTrue(inspector.texts.contains("V_m (mV)"))
        XCTAssertTrue(inspector.texts.contains("time (ms)"))
        XCTAssertTrue(inspector.texts.contains("neuron 7"))
        XCTAssertThrowsError(try MembraneFigure.make([MembraneFigure.PopulationTraces(population: "E", recordedNeurons: 0, neurons: [])]))
    }

    /// PDF: a PDF file whose font is embedded (the DejaVu Sans subset Cairo writes).
    func testPDFEmbedsARealFont() throws {
        let population = PopulationSpikes(name: "E", neuronCount: 5, neurons: [0, 1, 2], times: [1, 2, 3])
        let pdf = try CairoRenderer.pdf.render(try RasterFigure.make(populations: [population], from: 0, to: 10))
        XCTAssertEqual(Array(pdf.prefix(5)), Array("%PDF-".utf8))
        let text = String(decoding: pdf, as: UTF8.self)
        XCTAssertTrue(text.contains("/FontFile"), "an embedded font program")
        XCTAssertTrue(text.contains("DejaVuSans"), "the font is DejaVu Sans")
    }

    /// A proportional font measured by Cairo: capitals are wider than lower case, `i` narrower than `M`.
    func testTextIsMeasuredInAProportionalFont() {
        let metrics = CairoTextMetrics()
        XCTAssertGreaterThan(metrics.width(of: "HZ", size: 12), metrics.width(of: "Hz", size: 12))
        XCTAssertLessThan(metrics.width(of: "iiii", size: 12), metrics.width(of: "MMMM", size: 12) / 2)
        // Unhinted metrics scale with the size (to rounding of the advance widths).
        XCTAssertEqual(metrics.width(of: "time (ms)", size: 24), 2 * metrics.width(of: "time (ms)", size: 12), accuracy: 0.01)
    }

    func testFormatAndExtensionMustAgree() throws {
        XCTAssertEqual(try ImageFormat.choose(format: nil, output: nil), .svg)
        XCTAssertEqual(try ImageFormat.choose(format: "PNG", output: nil), .png)
        XCTAssertEqual(try ImageFormat.choose(format: nil, output: "fig/raster.PDF"), .pdf)
        XCTAssertEqual(try ImageFormat.choose(format: "png", output: "raster.png"), .png)
        XCTAssertThrowsError(try ImageFormat.choose(format: "png", output: "raster.svg")) { error in
            XCTAssertEqual(error as? ImageFormatError, .mismatch(format: .png, file: "raster.svg"))
            XCTAssertEqual("\(error)", "--format png does not match the file 'raster.svg'; write 'raster.png' or drop --format")
        }
        XCTAssertThrowsError(try ImageFormat.choose(format: nil, output: "raster.jpg")) { error in
            XCTAssertTrue("\(error)".contains("must end in .svg, .png, .pdf"), "\(error)")
        }
        XCTAssertThrowsError(try ImageFormat.choose(format: "png", output: "dir.v2/raster")) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'dir.v2/raster.png'"), "\(error)")
        }
        XCTAssertThrowsError(try ImageFormat.choose(format: "jpeg", output: nil))
    }
}
