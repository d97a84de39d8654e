import Foundation
import XCTest
@testable import VesicleIO

/// Files written by Vesicle open in the tools users have: NumPy reads the `.npy` columns and
/// h5py the SONATA file, with the same values and attributes.
final class PythonInteropTests: XCTestCase {
    /// Runs `python3 -c script args...` and returns stdout, or skips when python3, numpy or
    /// h5py is missing.
    func runPython(_ script: String, arguments: [String]) throws -> String {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import numpy, h5py"]
        probe.standardError = FileHandle.nullDevice
        probe.standardOutput = FileHandle.nullDevice
        do { try probe.run() } catch { throw XCTSkip("python3 is not installed") }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            throw XCTSkip("python3 lacks numpy or h5py (Tools/install-deps installs h5py with pip)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, errorText)
        return String(decoding: data, as: UTF8.self)
    }

    func testNumpyAndH5pyReadSpikeFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let writer = try SpikeRasterWriter(directory: run, populations: ["E", "I"], formats: [.npy, .hdf5, .csv])
        var sums = [0.0, 0.0]
        var counts = [0, 0]
        for k in 0..<1000 {
            let p = k % 4 == 0 ? 1 : 0
            let t = Double(k) / 7
            try writer.append(population: p, neuron: k % 13, time: t)
            sums[p] += t
            counts[p] += 1
        }
        try writer.finish(complete: true)
        let script = """
        import sys, json, numpy as np, h5py
        d = sys.argv[1]
        out = {}
        with h5py.File(d + '/spikes.h5', 'r') as f:
            for pop in ('E', 'I'):
                g = f['spikes'][pop]
                ts = g['timestamps'][()]
                ids = g['node_ids'][()]
                out[pop] = dict(n=int(ts.size), sum=float(ts.sum()), idsum=int(ids.sum()),
                    tdtype=str(ts.dtype), iddtype=str(ids.dtype), units=str(g['timestamps'].attrs['units']),
                    sorting=str(g.attrs['sorting']))
                t2 = np.load(d + '/spikes.%s.time_ms.npy' % pop)
                n2 = np.load(d + '/spikes.%s.neuron.npy' % pop)
                out[pop]['npy_equal'] = bool(np.array_equal(t2, ts) and np.array_equal(n2, ids))
                out[pop]['npy_dtypes'] = [t2.dtype.str, n2.dtype.str]
        csv = np.genfromtxt(d + '/spikes.csv', delimiter=',', names=True, dtype=None, encoding='utf-8')
        out['csv_names'] = list(csv.dtype.names)
        out['csv_rows'] = int(csv.size)
        print(json.dumps(out))
        """
        let text = try runPython(script, arguments: [directory.path])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(json["csv_names"] as? [String], ["population", "neuron", "time_ms"])
        XCTAssertEqual(json["csv_rows"] as? Int, 1000)
        for (p, name) in ["E", "I"].enumerated() {
            let entry = try XCTUnwrap(json[name] as? [String: Any])
            XCTAssertEqual(entry["n"] as? Int, counts[p])
            // Summation order differs between Swift and NumPy's pairwise sum: allow 1e-12 relative.
            XCTAssertEqual(try XCTUnwrap(entry["sum"] as? Double), sums[p], accuracy: 1e-12 * sums[p])
            XCTAssertEqual(entry["tdtype"] as? String, "float64")
            XCTAssertEqual(entry["iddtype"] as? String, "uint64")
            XCTAssertEqual(entry["units"] as? String, "ms")
            XCTAssertEqual(entry["sorting"] as? String, "by_time")
            XCTAssertEqual(entry["npy_equal"] as? Bool, true)
            XCTAssertEqual(entry["npy_dtypes"] as? [String], ["<f8", "<u8"])
        }
    }

    func testNumpyAndH5pyReadReleaseLog() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let writer = try ReleaseLogWriter(directory: run, formats: [.npy, .hdf5])
        for k in 0..<50 {
            try writer.append(time: Double(k), synapse: k, pre: k / 2, post: 1, amplitude: 0.5, mu: -0.669, sigma2: 0.07448)
        }
        try writer.finish(complete: true)
        let script = """
        import sys, json, numpy as np, h5py
        d = sys.argv[1]
        with h5py.File(d + '/release.h5', 'r') as f:
            g = f['release']
            h = {k: float(np.asarray(g[k][()], dtype=float).sum()) for k in g.keys()}
        n = {k: float(np.load(d + '/release.%s.npy' % k).astype(float).sum()) for k in h}
        print(json.dumps(dict(h5=h, npy=n)))
        """
        let text = try runPython(script, arguments: [directory.path])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String: Double]])
        let expected: [String: Double] = [
            "time_ms": 1225, "synapse": 1225, "pre": 600, "post": 50, "amplitude": 25,
            "mu": -0.669 * 50, "sigma2": 0.07448 * 50,
        ]
        for source in ["h5", "npy"] {
            let sums = try XCTUnwrap(json[source])
            XCTAssertEqual(Set(sums.keys), Set(expected.keys))
            for (key, value) in expected {
                XCTAssertEqual(try XCTUnwrap(sums[key]), value, accuracy: 1e-12, "\(source) \(key)")
            }
        }
    }

    func testToolsLoaderReadsEveryFormat() throws {
        let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tools").path
        guard FileManager.default.fileExists(atPath: tools + "/vesicle_io.py") else {
            throw XCTSkip("Tools/vesicle_io.py is not next to the tests")
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let spikes = try SpikeRasterWriter(directory: run, populations: ["E", "I"], formats: [.csv, .npy, .hdf5])
        let release = try ReleaseLogWriter(directory: run, formats: [.csv, .npy, .hdf5])
        let trace = try TraceWriter(directory: run, name: "V_m", formats: [.csv, .npy, .hdf5])
        for k in 0..<60 {
            try spikes.append(population: k % 2, neuron: k % 7, time: Double(k) * 0.25)
            try release.append(time: Double(k), synapse: k % 3, pre: k % 3, post: 0, amplitude: 0.5, mu: -0.5, sigma2: 0.1)
            try trace.append(time: Double(k), index: k % 4, value: Double(k) - 0.5)
        }
        try spikes.finish(complete: true)
        try release.finish(complete: true)
        try trace.finish(complete: true)
        let script = """
        import sys, json
        sys.path.insert(0, sys.argv[1])
        import vesicle_io as v
        out = {}
        for fmt in ('csv', 'npy', 'hdf5'):
            s = v.load_spikes(sys.argv[2], fmt)
            r = v.load_release(sys.argv[2], fmt)
            t = v.load_trace(sys.argv[2], 'V_m', fmt=fmt)
            out[fmt] = [sorted(s), float(s['E'][1].sum()), int(s['I'][0].sum()), float(r['time_ms'].sum()),
                        int(r['synapse'].sum()), float(t['value'].sum()), int(t['neuron'].sum())]
        print(json.dumps(out))
        """
        let text = try runPython(script, arguments: [tools, directory.path])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [Any]])
        // E: k even, t = k/4 summed over k = 0, 2, ..., 58 -> 217.5; I: neurons (k mod 7) over odd k -> 87.
        for format in ["csv", "npy", "hdf5"] {
            let values = try XCTUnwrap(json[format])
            XCTAssertEqual(values[0] as? [String], ["E", "I"], format)
            XCTAssertEqual(values[1] as? Double, 217.5, format)
            XCTAssertEqual(values[2] as? Int, (0..<60).filter { $0 % 2 == 1 }.reduce(0) { $0 + $1 % 7 }, format)
            XCTAssertEqual(values[3] as? Double, 1770, format)
            XCTAssertEqual(values[4] as? Int, 60, format)
            XCTAssertEqual(values[5] as? Double, 1740, format)
            XCTAssertEqual(values[6] as? Int, 90, format)
        }
    }
}
