import Foundation
import XCTest
@testable import VesicleKernels

final class KernelFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kernelfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ text: String, _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func assertError(_ path: String, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try KernelFile.load(path: path, step: 0.1), file: file, line: line) { error in
            let message = "\(error)"
            for fragment in fragments { XCTAssertTrue(message.contains(fragment), message, file: file, line: line) }
        }
    }

    func testReadsValuesSkippingCommentsAndBlankLines() throws {
        let path = try write("# measured EPSC\n0.0\n\n 1.5 \n2.5e-1\n", "epsc.txt")
        let shape = try KernelFile.load(path: path, step: 0.05)
        XCTAssertEqual(shape, .sampled(values: [0, 1.5, 0.25], step: 0.05, source: path))
    }

    func testMissingFileNamesTheFile() {
        let path = directory.appendingPathComponent("absent.txt").path
        assertError(path, contains: [path, "no such file"])
    }

    func testEmptyFileNamesFileAndLine() throws {
        let path = try write("# nothing here\n\n", "empty.txt")
        assertError(path, contains: ["\(path):1:", "no values"])
    }

    func testNonNumericValueNamesFileAndLine() throws {
        let path = try write("0.1\n0.2\nabc\n", "bad.txt")
        assertError(path, contains: ["\(path):3:", "'abc'"])
    }

    func testNonFiniteValueNamesFileAndLine() throws {
        let path = try write("0.1\nnan\n", "nan.txt")
        assertError(path, contains: ["\(path):2:", "not finite"])
        let infinite = try write("1\n2\n3\ninf\n", "inf.txt")
        assertError(infinite, contains: ["\(infinite):4:", "not finite"])
    }

    /// dt = 0.1 ms from a file at 0.05 ms keeps every second value; a 0.03 ms step does not divide
    /// the grid and is refused with a message that says so.
    func testStepMustDivideTheGrid() throws {
        let shape = KernelShape.sampled(values: [1, 2, 3, 4, 5], step: 0.05, source: "k.txt")
        let kernel = try SampledKernel(shape, dt: 0.1)
        XCTAssertEqual(kernel.values, [1, 3, 5])
        let coarse = KernelShape.sampled(values: [1, 2, 3], step: 0.03, source: "k.txt")
        XCTAssertThrowsError(try SampledKernel(coarse, dt: 0.1)) { error in
            XCTAssertTrue("\(error)".contains("does not divide the simulation grid"), "\(error)")
        }
        let longer = KernelShape.sampled(values: [1, 2, 3], step: 0.2, source: "k.txt")
        XCTAssertThrowsError(try SampledKernel(longer, dt: 0.1))
    }

    func testFileKernelNormalisedByPeak() throws {
        let shape = KernelShape.sampled(values: [0, -4, 2], step: 0.1, source: "k.txt")
        let kernel = try SampledKernel(shape, dt: 0.1, normalisation: .peak)
        XCTAssertEqual(kernel.values, [0, -1, 0.5])
    }
}
