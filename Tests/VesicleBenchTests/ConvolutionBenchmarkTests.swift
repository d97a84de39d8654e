import Foundation
import VesicleBench
import XCTest

/// `vesicle bench convolve`'s report format (no timing thresholds: only how measured times are
/// turned into output).
final class ConvolutionBenchmarkTests: XCTestCase {
    /// The report names the machine and ends with one JSON object holding every row.
    func testBenchmarkReportEndsWithJSON() throws {
        let report = try ConvolutionBenchmark.run(
            quick: true, signalLength: 512, kernelLengths: [8, 100], channelCounts: [3],
            calibrationKernelLengths: [4, 8], calibrationSignalLength: 512)
        let lines = report.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("machine: ") && $0.contains("cores") })
        let json = try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as! [String: Any]
        let rows = json["rows"] as! [[String: Any]]
        XCTAssertEqual(rows.map { $0["kernelLength"] as! Int }, [8, 100])
        XCTAssertEqual(rows.map { $0["channels"] as! Int }, [3, 3])
        for key in ["fftSeconds", "directSeconds", "bareTransformSeconds", "copySeconds", "fftOverBare", "directOverFFT"] {
            XCTAssertNotNil(rows[0][key], key)
        }
        XCTAssertNotNil(json["crossoverKernelLength"] as? Int)
        XCTAssertNotNil((json["machine"] as? [String: Any])?["cpuModel"])
    }

    func testBenchmarkRejectsBadSizes() {
        XCTAssertThrowsError(try ConvolutionBenchmark.run(quick: true, signalLength: 0))
        XCTAssertThrowsError(try ConvolutionBenchmark.run(quick: true, signalLength: 100, kernelLengths: [0]))
    }
}
