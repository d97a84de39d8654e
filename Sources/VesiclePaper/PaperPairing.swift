import Foundation
import VesicleAnalysis
import VesicleModel
import VesiclePlot
import VesicleSynapses

/// The Synaptic Filter's STDP curves in the companion paper's three conditions (change of the synapse's
/// posterior mean and variance after one pre/post pairing against t_post - t_pre in [-50, 50] ms), and
/// its heterosynaptic plasticity: the regression slope of the unpaired synapse's change against the
/// paired one's (docs/MODEL.md §5; Networks/paper/stdp_pairing.vsl).
public struct PaperPairing: PaperExperiment {
    public let name = "stdp_pairing"

    public init() {}

    public let results = Locked([PairingCondition: [PairingResult]]())
    let heterosynaptic = Locked([String: [HeterosynapticResult]]())

    public static let offsets = (-50...50).map(Double.init)

    /// The STDP curve of one condition with the file's neuron (beta, g0, tau_eps, step) and synapse prior.
    /// - Complexity: O(offsets × 300 ms / step).
    public static func curve(_ condition: PairingCondition, _ p: SynapticFilterParameters,
                             offsets: [Double] = offsets) throws -> [PairingResult] {
        try synapticFilterPairing(offsets: offsets, condition: condition, beta: p.beta, g0: p.g0,
                                  tauEpsilon: p.tauEpsilon, step: p.step, synapsePrior: p.prior)
    }

    /// Least-squares slope of the heterosynaptic change against the homosynaptic one.
    public static func slope(_ r: [HeterosynapticResult]) -> Double {
        let n = Double(r.count)
        let mx = r.reduce(0) { $0 + $1.homosynapticDeltaMu } / n
        let my = r.reduce(0) { $0 + $1.heterosynapticDeltaMu } / n
        var sxy = 0.0, sxx = 0.0
        for p in r {
            sxy += (p.homosynapticDeltaMu - mx) * (p.heterosynapticDeltaMu - my)
            sxx += (p.homosynapticDeltaMu - mx) * (p.homosynapticDeltaMu - mx)
        }
        return sxy / sxx
    }

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        let p = try SynapticFilterParameters(spec: settings.spec("stdp_pairing"))
        var jobs = PairingCondition.allCases.map { condition in
            PaperJob(experiment: name, label: condition.rawValue, fullModeFactor: 1) { [results] in
                let r = try Self.curve(condition, p)
                results.update { $0[condition] = r }
            }
        }
        for covariance in [FilterCovariance.diagonal, .full] {
            for spikes in [1, 2] {
                let key = "\(covariance.rawValue), \(spikes) preconditioning spike\(spikes == 1 ? "" : "s")"
                jobs.append(PaperJob(experiment: name, label: "heterosynaptic \(key)", fullModeFactor: 1) { [heterosynaptic] in
                    let r = try synapticFilterHeterosynaptic(offsets: Self.offsets, preconditioning: spikes,
                                                             covariance: covariance, beta: p.beta, g0: p.g0,
                                                             tauEpsilon: p.tauEpsilon, step: p.step)
                    heterosynaptic.update { $0[key] = r }
                })
            }
        }
        return jobs
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        let all = results.current
        var meanMarks: [PlotMark] = [.line(x: [-50, 50], y: [0, 0], color: .gray, width: 1, dashed: true)]
        var varianceMarks = meanMarks
        var legend: [LegendEntry] = []
        var means: [Double] = [], variances: [Double] = []
        for (k, condition) in PairingCondition.allCases.enumerated() {
            guard let r = all[condition] else { throw PaperError.missing("pairing \(condition.rawValue)") }
            for point in r where Int(point.offset) % 10 == 0 {
                let c = "\(condition.rawValue), offset \(PaperTable.format(point.offset)) ms"
                table.add(name, c, "change of mean", point.deltaMu)
                table.add(name, c, "change of variance", point.deltaSigma2)
            }
            let x = r.map(\.offset)
            means += r.map(\.deltaMu)
            variances += r.map(\.deltaSigma2)
            meanMarks.append(.line(x: x, y: r.map(\.deltaMu), color: PlotColor.series(k), width: 2, dashed: false))
            varianceMarks.append(.line(x: x, y: r.map(\.deltaSigma2), color: PlotColor.series(k), width: 2, dashed: false))
            legend.append(LegendEntry(condition.rawValue, PlotColor.series(k)))
        }
        var panels = [("change of posterior mean", meanMarks, means, "d mu"),
                      ("change of posterior variance", varianceMarks, variances, "d sigma2")].enumerated().map { k, item in
            PlotPanel(frame: PlotRect(x: Double(k) * 400, y: 0, width: 400, height: 450),
                      xScale: AxisScale(lower: -50, upper: 50), yScale: AxisScale.fitting(item.2, includeZero: true),
                      title: item.0, xLabel: "t_post - t_pre (ms)", yLabel: item.3, marks: item.1, legend: legend)
        }
        // Heterosynaptic: unpaired change against paired change, with the regression slope.
        let hetero = heterosynaptic.current
        var marks: [PlotMark] = []
        var xs: [Double] = [], ys: [Double] = []
        var heteroLegend: [LegendEntry] = []
        for (k, key) in hetero.keys.sorted().enumerated() {
            let r = hetero[key]!
            let slope = Self.slope(r)
            table.add("heterosynaptic", key, "regression slope of heterosynaptic against homosynaptic d mu", slope)
            xs += r.map(\.homosynapticDeltaMu)
            ys += r.map(\.heterosynapticDeltaMu)
            marks.append(.points(x: r.map(\.homosynapticDeltaMu), y: r.map(\.heterosynapticDeltaMu),
                                 color: PlotColor.series(k), size: 3))
            heteroLegend.append(LegendEntry("\(key): slope \(String(format: "%.3g", slope))", PlotColor.series(k)))
        }
        if !xs.isEmpty {
            panels.append(PlotPanel(frame: PlotRect(x: 800, y: 0, width: 400, height: 450),
                                    xScale: AxisScale.fitting(xs, includeZero: true),
                                    yScale: AxisScale.fitting(ys, includeZero: true),
                                    title: "heterosynaptic against homosynaptic", xLabel: "paired synapse d mu",
                                    yLabel: "unpaired synapse d mu", marks: marks, legend: heteroLegend))
        }
        figures["stdp_pairing"] = Figure(width: 1200, height: 450, panels: panels)
    }
}
