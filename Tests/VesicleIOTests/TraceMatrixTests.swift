import Foundation
import XCTest
@testable import VesicleIO

/// The dense form of a trace (`TraceReport`): a (times x neurons) NumPy matrix, a SONATA report and
/// a JSON description with the units, read back byte for byte here and by numpy/h5py through
/// Tools/vesicle_io.py.
final class TraceMatrixTests: XCTestCase {
    /// 50 times (k * 0.1 ms, k = 3 ... 52) x neurons 2, 5, 9, value 1000 k + neuron.
    private func writeDense(in directory: TemporaryDirectory, formats: Set<OutputFormat>) throws -> [String] {
        let run = try RunDirectory(path: directory.path, force: false)
        let trace = try TraceWriter(directory: run, name: "membrane_E", formats: formats, unit: "mV",
                                    quantity: "membrane potential", population: "E")
        for k in 3..<53 {
            for neuron in [2, 5, 9] { try trace.append(time: Double(k) * 0.1, index: neuron, value: Double(1000 * k + neuron)) }
        }
        XCTAssertNil(trace.matrixMissingReason)
        return try trace.finish(complete: true)
    }

    private func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    func testMatrixHoldsEverySampleInRowMajorOrderWithItsUnits() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let written = try writeDense(in: directory, formats: [.csv, .npy, .hdf5])
        for name in ["traces.membrane_E.matrix.npy", "traces.membrane_E.matrix.time_ms.npy", "traces.membrane_E.matrix.neuron.npy",
                     "traces.membrane_E.report.h5", "traces.membrane_E.json", "traces.membrane_E.csv"] {
            XCTAssertTrue(written.contains(name), name)
        }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path + "/traces.membrane_E.matrix.npy")))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<10 + headerLength], as: UTF8.self)
        XCTAssertTrue(header.contains("'descr': '<f8'") && header.contains("'shape': (50, 3)"), header)
        XCTAssertEqual((10 + headerLength) % 64, 0, "data aligned to 64 bytes")
        let data = stride(from: 10 + headerLength, to: bytes.count, by: 8).map { offset in
            Double(bitPattern: bytes[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) })
        }
        XCTAssertEqual(data, (3..<53).flatMap { k in [2, 5, 9].map { Double(1000 * k + $0) } })
        XCTAssertEqual(try NumpyFormat.read(path: directory.path + "/traces.membrane_E.matrix.time_ms.npy"),
                       .float64((3..<53).map { Double($0) * 0.1 }))
        XCTAssertEqual(try NumpyFormat.read(path: directory.path + "/traces.membrane_E.matrix.neuron.npy"), .uint64([2, 5, 9]))
        let description = try json(directory.path + "/traces.membrane_E.json")
        XCTAssertEqual(description["unit"] as? String, "mV")
        XCTAssertEqual(description["quantity"] as? String, "membrane potential")
        let matrix = try XCTUnwrap(description["matrix"] as? [String: Any])
        XCTAssertEqual(matrix["elements"] as? [Int], [2, 5, 9])
        XCTAssertEqual(matrix["step_ms"] as? Double ?? 0, 0.1, accuracy: 1e-12)
        // The long table is unchanged and still reads back.
        let long = try Trace.read(directory: directory.path, name: "membrane_E", format: .csv)
        XCTAssertEqual(long.value.count, 150)
    }

    /// A trace whose times do not all hold the same neurons has no matrix, and says why.
    func testIrregularTraceHasNoMatrixAndSaysWhy() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let trace = try TraceWriter(directory: run, name: "mu", indexColumn: "synapse", formats: [.npy])
        try trace.append(time: 0, index: 0, value: 1)
        try trace.append(time: 0, index: 1, value: 1)
        try trace.append(time: 1, index: 1, value: 1)
        let written = try trace.finish(complete: true)
        XCTAssertFalse(written.contains { $0.contains("matrix") }, "\(written)")
        let description = try json(directory.path + "/traces.mu.json")
        XCTAssertTrue(description["matrix"] is NSNull)
        XCTAssertEqual(description["matrix_missing"] as? String, "at 1.0 ms synapse 1 is sampled where 0 was expected")
    }

    /// numpy (and h5py, when installed) read the matrix and the SONATA report through
    /// `vesicle_io.load_trace_matrix` with the same values.
    func testPythonReadsTheMatrixAndTheSONATAReport() throws {
        let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tools").path
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try writeDense(in: directory, formats: [.npy, .hdf5])
        let script = """
        import sys
        sys.path.insert(0, sys.argv[1])
        import numpy as np
        import vesicle_io as v
        formats = ['npy']
        try:
            import h5py
            formats.append('hdf5')
        except ImportError:
            pass
        for fmt in formats:
            t, e, d, desc = v.load_trace_matrix(sys.argv[2], 'membrane_E', fmt=fmt)
            k = np.arange(3, 53)
            assert d.shape == (50, 3), d.shape
            assert np.array_equal(t, k * 0.1), fmt
            assert list(e) == [2, 5, 9], fmt
            assert np.array_equal(d, 1000.0 * k[:, None] + np.array([2, 5, 9])[None, :]), fmt
            assert desc['unit'] == 'mV'
        if 'hdf5' in formats:
            with h5py.File(sys.argv[2] + '/traces.membrane_E.report.h5', 'r') as f:
                g = f['report/E']
                assert g['data'].attrs['units'] == 'mV'
                assert list(g['mapping/index_pointers'][()]) == [0, 1, 2, 3]
                start, stop, dt = g['mapping/time'][()]
                assert abs(start - 0.3) < 1e-12 and abs(dt - 0.1) < 1e-12 and abs(stop - 5.3) < 1e-9, (start, stop, dt)
        print(' '.join(formats))
        """
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import numpy"]
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { throw XCTSkip("python3 is not installed") }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { throw XCTSkip("python3 lacks numpy") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, tools, directory.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, errorText)
        XCTAssertTrue(printed.hasPrefix("npy"), printed)
    }
}
