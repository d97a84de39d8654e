import Foundation
import VesiclePlot
import VesicleSynapses

/// The Synaptic Filter's STDP curves: change of the posterior mean and variance after one pre/post
/// pairing against the offset t_post - t_pre in [-50, 50] ms (MODEL.md §5).
struct PaperPairing {
    let results = Locked([PairingResult]())

    func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        let spec = try settings.spec("stdp_pairing")
        let p = try SynapticFilterParameters(spec: spec)
        let offsets = (-50...50).map(Double.init)
        return [PaperJob(experiment: "stdp_pairing", label: "101 offsets", fullModeFactor: 1) { [results] in
            let r = try synapticFilterPairing(offsets: offsets, mu0: p.prior.mean,
                                              sigma2_0: p.initialVariance ?? p.prior.variance, beta: p.beta,
                                              g0: p.g0, tauEpsilon: p.tauEpsilon, step: p.step)
            results.update { $0 = r }
        }]
    }

    func report(into table: inout PaperTable, figures: inout [String: Figure]) throws {
        let r = results.current
        guard !r.isEmpty else { throw PaperError.missing("pairing") }
        for point in r {
            table.add("stdp_pairing", "offset \(PaperTable.format(point.offset)) ms", "change of mean", point.deltaMu)
            table.add("stdp_pairing", "offset \(PaperTable.format(point.offset)) ms", "change of variance", point.deltaSigma2)
        }
        let x = r.map(\.offset)
        let panels = [("change of posterior mean", r.map(\.deltaMu)), ("change of posterior variance", r.map(\.deltaSigma2))]
            .enumerated().map { k, item in
                PlotPanel(frame: PlotRect(x: Double(k) * 400, y: 0, width: 400, height: 500),
                          xScale: AxisScale(lower: -50, upper: 50),
                          yScale: AxisScale.fitting(item.1, includeZero: true), title: item.0,
                          xLabel: "t_post - t_pre (ms)", yLabel: k == 0 ? "d mu" : "d sigma2",
                          marks: [.line(x: [-50, 50], y: [0, 0], color: .gray, width: 1, dashed: true),
                                  .line(x: x, y: item.1, color: PlotColor.series(k), width: 2, dashed: false)])
            }
        figures["stdp_pairing"] = Figure(width: 800, height: 500, panels: panels)
    }
}
