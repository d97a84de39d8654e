// `vesicle plot` and `vesicle analyze` on a run with a warm-up, and `vesicle run --force`
// replacing it (issue 20: figures, undefined statistics, traces other tools read, --force).

import Foundation
import XCTest

final class PlotCommandTests: CLITestCase {
    /// 50 ms of warm-up, then 100 ms recorded; three membrane traces sampled every 0.1 ms.
    private func runWithWarmUp() throws -> String {
        let file = scratch.appendingPathComponent("warm.vsl").path
        try """
        population E = 40 lif_delta(I_e = 400 pA)
        population I = 10 lif_delta(I_e = 380 pA)
        connect E -> I fixed_indegree(5) weight 0.2 mV delay 1.5 ms
        record spikes E, I
        record membrane E[0:3] every 0.1 ms
        simulate 100 ms warmup 50 ms seed 3
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("run").path
        let result = try vesicle("run", file, "--out", out, "--quiet", "--format", "csv,npy,hdf5")
        XCTAssertEqual(result.status, 0, result.stderr)
        return out
    }

    private func texts(ofSVG path: String) throws -> [String] {
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        var found: [String] = []
        var rest = svg[...]
        while let open = rest.range(of: "<text "), let close = rest.range(of: "</text>", range: open.upperBound..<rest.endIndex) {
            let element = rest[open.upperBound..<close.lowerBound]
            if let start = element.firstIndex(of: ">") { found.append(String(element[element.index(after: start)...])) }
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// Released amplitudes onto lif_exp targets are current jumps: the metadata records pA and the
    /// release figure's amplitude axis says so (issue 20: the axis had no unit).
    func testReleaseAmplitudesCarryTheTargetsWeightUnit() throws {
        let file = scratch.appendingPathComponent("exp.vsl").path
        try """
        population S = 20 poisson_source(rate = 40 Hz)
        population T = 5 lif_exp(I_e = 100 pA)
        synapse b = bayesian(prior_mean = log(50) - 0.05, prior_var = 0.1, tau = 1000 s, release = posterior)
        connect S -> T all_to_all using b weight 50 pA delay 1 ms
        record releases "S->T" limit 50
        simulate 200 ms seed 5
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("exp").path
        let run = try vesicle("run", file, "--out", out, "--quiet")
        XCTAssertEqual(run.status, 0, run.stderr)
        let metadata = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: out + "/metadata.json"))) as? [String: Any])
        XCTAssertEqual(metadata["release_amplitude_unit"] as? String, "pA")
        let plot = try vesicle("plot", "release", out)
        XCTAssertEqual(plot.status, 0, plot.stderr)
        XCTAssertTrue(try texts(ofSVG: out + "/release.svg").contains("released amplitude (pA)"))
    }

    func testRasterStartsAfterTheWarmUpAndFormatsMustAgree() throws {
        let out = try runWithWarmUp()
        let raster = try vesicle("plot", "raster", out)
        XCTAssertEqual(raster.status, 0, raster.stderr)
        let texts = try texts(ofSVG: out + "/raster.svg")
        XCTAssertTrue(texts.contains("Spike raster, 50–150 ms"), "\(texts.prefix(4))")
        XCTAssertTrue(texts.contains("rate (Hz)"))
        XCTAssertTrue(texts.contains { $0.hasPrefix("I: population rate") }, "one rate panel per population")

        let mismatch = try vesicle("plot", "raster", out, "--format", "png", "--output", out + "/r.svg")
        XCTAssertNotEqual(mismatch.status, 0)
        XCTAssertTrue(mismatch.stderr.contains("--format png does not match the file"), mismatch.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/r.svg"))

        let membrane = try vesicle("plot", "membrane", out, "--format", "pdf")
        XCTAssertEqual(membrane.status, 0, membrane.stderr)
        let pdf = try Data(contentsOf: URL(fileURLWithPath: out + "/membrane.pdf"))
        XCTAssertEqual(Array(pdf.prefix(5)), Array("%PDF-".utf8))
    }

    /// The membrane trace in the dense forms: 1 000 rows (k = 500 ... 1499 at 0.1 ms) of 3 neurons,
    /// with its unit, and a one-bin Fano factor reported as undefined.
    func testTracesCarryTheirUnitsAndAnalyzeSaysWhatIsUndefined() throws {
        let out = try runWithWarmUp()
        let description = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/traces.membrane_E.json"))) as? [String: Any])
        XCTAssertEqual(description["unit"] as? String, "mV")
        XCTAssertEqual(description["time_unit"] as? String, "ms")
        let matrix = try XCTUnwrap(description["matrix"] as? [String: Any])
        XCTAssertEqual(matrix["rows"] as? Int, 1000)
        XCTAssertEqual(matrix["columns"] as? Int, 3)
        XCTAssertEqual(matrix["start_ms"] as? Double, 50)
        XCTAssertEqual(matrix["stop_ms"] as? Double, 1499 * 0.1)
        let npy = try Data(contentsOf: URL(fileURLWithPath: out + "/traces.membrane_E.matrix.npy"))
        let header = String(decoding: npy.prefix(128), as: UTF8.self)
        XCTAssertTrue(header.contains("'shape': (1000, 3)"), header)
        XCTAssertEqual(npy.count, 128 + 1000 * 3 * 8)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/traces.membrane_E.report.h5"))

        let analysis = try vesicle("analyze", out)
        XCTAssertEqual(analysis.status, 0, analysis.stderr)
        XCTAssertTrue(analysis.stdout.contains("E: Fano factor undefined (-): the window holds 1 whole bin"), analysis.stdout)
        let report = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/analysis.json"))) as? [String: Any])
        let populations = try XCTUnwrap(report["populations"] as? [[String: Any]])
        XCTAssertTrue(populations[0]["fano"] is NSNull, "undefined: null, not 0")
        XCTAssertNotNil(populations[0]["fano_undefined"] as? String)
    }

    /// `--force` removes the earlier run's recordings, its analysis and its figures, and nothing else.
    func testForceRemovesTheEarlierRunsFiguresAndAnalysisOnly() throws {
        let out = try runWithWarmUp()
        XCTAssertEqual(try vesicle("plot", "raster", out, "--format", "png").status, 0)
        XCTAssertEqual(try vesicle("plot", "membrane", out).status, 0)
        XCTAssertEqual(try vesicle("analyze", out).status, 0)
        try "mine".write(toFile: out + "/notes.txt", atomically: true, encoding: .utf8)
        for name in ["raster.png", "membrane.svg", "analysis.json", "traces.membrane_E.report.h5"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + name), name)
        }
        let file = scratch.appendingPathComponent("single.vsl").path
        try """
        population N = 1 lif_delta(I_e = 400 pA)
        record spikes N
        simulate 20 ms
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let forced = try vesicle("run", file, "--out", out, "--quiet", "--force")
        XCTAssertEqual(forced.status, 0, forced.stderr)
        let left = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(left, ["metadata.json", "notes.txt", "spikes.csv"])
    }
}
