// One test per check on kernels and kernel-driven projections, each on a file with one mistake.

import Foundation
import XCTest
@testable import VesicleDSL
import VesicleModel

final class KernelCheckTests: XCTestCase {
    static let base = KernelLoweringTests.drivenNetwork

    /// Compiles `source` as `net.vsl` in a fresh directory holding `k.txt` with `kernelFile`.
    func compileWithKernelFile(_ kernelFile: String?, _ source: String) throws -> (spec: NetworkSpec?, diagnostics: [Diagnostic]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vsl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        if let kernelFile {
            try kernelFile.write(to: directory.appendingPathComponent("k.txt"), atomically: true, encoding: .utf8)
        }
        return NetworkLanguage.compile(source: source, path: directory.appendingPathComponent("net.vsl").path)
    }

    static let fileKernelNetwork = base + """
        kernel k = sampled(values = file("k.txt"), step = 0.1 ms)
        connect In -> N all_to_all kernel k weight 5 pA delay 1 ms
        """

    func onlyError(_ result: (spec: NetworkSpec?, diagnostics: [Diagnostic]), _ check: CheckID,
                   file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
        let found = errors(result.diagnostics)
        XCTAssertNil(result.spec, file: file, line: line)
        XCTAssertEqual(found.map(\.check), [check], "\(found.map(\.description))", file: file, line: line)
        return found.first
    }

    func testUndefinedKernelSuggestsTheClosestKernel() {
        let error = singleError(Self.base + "kernel epsc = alpha(tau = 5 ms)\nconnect In -> N all_to_all kernel epcs weight 5 pA delay 1 ms",
                                .undefinedName)
        XCTAssertEqual(error?.message, "undefined kernel 'epcs'")
        XCTAssertEqual(error?.suggestion, "epsc")
        XCTAssertEqual(error?.line, 6)
        XCTAssertEqual(error?.column, 35)
        XCTAssertEqual(error?.length, 4)
    }

    func testNonPositiveTimeConstants() {
        XCTAssertEqual(singleError(Self.base + "kernel k = exponential(tau = 0 ms)", .outOfRange)?.message,
                       "the kernel time constant tau must be positive, found 0 ms")
        XCTAssertEqual(singleError(Self.base + "kernel k = alpha(tau = -2 ms)", .outOfRange)?.column, 24)
        XCTAssertEqual(singleError(Self.base + "kernel k = difference_of_exponentials(tau_rise = -1 ms, tau_decay = 5 ms)", .outOfRange)?.message,
                       "the rise time constant tau_rise must be positive, found -1 ms")
    }

    func testRiseTimeMustBeShorterThanDecayTime() {
        for (rise, decay) in [("5 ms", "5 ms"), ("6 ms", "5 ms")] {
            let error = singleError(Self.base + "kernel k = difference_of_exponentials(tau_rise = \(rise), tau_decay = \(decay))", .outOfRange)
            XCTAssertEqual(error?.message, "tau_rise (\(rise)) must be shorter than tau_decay (\(decay))")
            XCTAssertEqual(error?.column, 50)
        }
    }

    func testMissingKernelFileNamesTheFile() throws {
        let error = onlyError(try compileWithKernelFile(nil, Self.fileKernelNetwork), .unreadableFile)
        XCTAssertTrue(error?.message.hasPrefix("cannot read kernel file '") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.hasSuffix("/k.txt'") ?? false, error?.message ?? "")
        XCTAssertEqual(error?.line, 5)
    }

    func testEmptyKernelFile() throws {
        let error = onlyError(try compileWithKernelFile("# nothing yet\n\n", Self.fileKernelNetwork), .invalidValue)
        XCTAssertEqual(error?.message, "kernel file 'k.txt' is empty: it holds no values")
    }

    func testNonNumericKernelFileNamesTheLine() throws {
        let error = onlyError(try compileWithKernelFile("0\n0.5\n1,0\n", Self.fileKernelNetwork), .invalidValue)
        XCTAssertEqual(error?.message, "kernel file 'k.txt', line 3: '1,0' is not a number")
    }

    func testNonFiniteKernelFileNamesTheLine() throws {
        for bad in ["nan", "inf", "1e999"] {
            let error = onlyError(try compileWithKernelFile("0\n# comment\n\(bad)\n", Self.fileKernelNetwork), .outOfRange)
            XCTAssertEqual(error?.message, "kernel file 'k.txt', line 3: '\(bad)' is not finite")
        }
    }

    func testSamplingStepMustBeAWholeMultipleOfTheKernelStep() {
        let error = singleError(Self.base + """
            kernel k = sampled(values = [0, 1, 0.5], step = 0.25 ms)
            connect In -> N all_to_all kernel k weight 5 pA delay 1 ms
            simulate 100 ms kernel_step 0.1 ms
            """, .outOfRange)
        XCTAssertEqual(error?.message, "the kernel's sampling step (0.25 ms) does not fit the simulation's kernel grid: it must equal the kernel step (0.1 ms) or be a whole multiple of it")
        XCTAssertEqual(error?.notes, ["the kernel step is set at line 7"])
        XCTAssertEqual(error?.column, 49)
        // A finer sampling than the grid is refused too; a whole multiple is accepted.
        XCTAssertNotNil(singleError(Self.base + "kernel k = sampled(values = [1], step = 0.05 ms)", .outOfRange))
        XCTAssertNotNil(cleanSpec(Self.base + "kernel k = sampled(values = [1], step = 0.3 ms)\nconnect In -> N all_to_all kernel k weight 5 pA delay 1 ms"))
    }

    func testKernelProjectionNeedsIntegrateAndFireTargets() {
        let error = singleError(Self.base + """
            population R = 1 linear_readout
            kernel k = alpha(tau = 5 ms)
            connect In -> N, R all_to_all kernel k weight 5 pA delay 1 ms
            """, .invalidValue)
        XCTAssertEqual(error?.message, "a kernel projection drives the input current of lif_delta or lif_exp neurons; 'R' is a linear_readout")
        XCTAssertEqual(error?.column, 18)
    }

    func testKernelProjectionWeightMustBeACurrent() {
        let error = singleError(Self.base + "kernel k = alpha(tau = 5 ms)\nconnect In -> N all_to_all kernel k weight 0.1 mV delay 1 ms",
                                .dimensionMismatch)
        XCTAssertEqual(error?.message, "the weight of a kernel projection must be a current (pA), found a voltage (mV)")
    }

    func testUnknownNormalizationSuggestsOne() {
        let error = singleError(Self.base + "kernel k = alpha(tau = 5 ms, normalize = integal)", .invalidValue)
        XCTAssertEqual(error?.suggestion, "integral")
    }

    func testAllZeroKernelCannotBeNormalised() {
        XCTAssertEqual(singleError(Self.base + "kernel k = sampled(values = [0, 0], step = 0.1 ms, normalize = peak)", .outOfRange)?.message,
                       "a kernel whose values are all zero cannot be normalised by its peak")
        XCTAssertEqual(singleError(Self.base + "kernel k = sampled(values = [1, -1], step = 0.1 ms, normalize = integral)", .outOfRange)?.message,
                       "a kernel whose integral is zero cannot be normalised by its integral")
    }

    func testKernelIsOneNamespaceWithOtherDeclarations() {
        XCTAssertEqual(singleError(Self.base + "kernel N = alpha(tau = 5 ms)", .duplicateDefinition)?.message, "'N' is already defined")
    }

    func testIndependentKernelErrorsAreAllReported() {
        let result = compile(Self.base + """
            kernel a = alpha(tau = -1 ms)
            kernel b = difference_of_exponentials(tau_rise = 3 ms, tau_decay = 1 ms)
            connect In -> N all_to_all kernel c weight 1 mV delay 1 ms
            """)
        XCTAssertEqual(errors(result.diagnostics).map(\.check), [.outOfRange, .outOfRange, .undefinedName, .dimensionMismatch])
    }
}
