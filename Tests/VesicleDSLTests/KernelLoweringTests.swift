// `kernel` declarations, kernel-driven `connect` and `kernel_step` lower to the KernelSpec,
// ProjectionSpec.kernel and SimulationSpec.kernelStep they document (docs/LANGUAGE.md, "Kernels").

import Foundation
import XCTest
@testable import VesicleDSL
import VesicleModel

final class KernelLoweringTests: XCTestCase {
    /// Poisson sources driving integrate-and-fire neurons; tests append kernels and connections.
    static let drivenNetwork = """
        population In = 50 poisson_source(rate = 20 Hz)
        population N = 10 lif_delta
        population X = 10 lif_exp
        record spikes N, X

        """

    func testEveryShapeAndNormalization() throws {
        let spec = try XCTUnwrap(cleanSpec(Self.drivenNetwork + """
            kernel fast = exponential(tau = 2 ms)
            kernel bump = alpha(5 ms, normalize = peak)
            kernel dual = difference_of_exponentials(tau_rise = 0.5 ms, tau_decay = 0.004 s, normalize = integral)
            kernel measured = sampled(values = [0, 0.5, 1, 0.25], step = 0.2 ms, normalize = none)
            connect In -> N all_to_all kernel fast weight 1 pA delay 1 ms as "a"
            connect In -> N all_to_all kernel bump weight 1 pA delay 1 ms as "b"
            connect In -> N all_to_all kernel dual weight 1 pA delay 1 ms as "c"
            connect In -> N all_to_all kernel measured weight 1 pA delay 1 ms as "d"
            """))
        XCTAssertEqual(spec.kernels, [
            KernelSpec(name: "fast", shape: .exponential(tau: 2)),
            KernelSpec(name: "bump", shape: .alpha(tau: 5), normalization: .peak),
            KernelSpec(name: "dual", shape: .differenceOfExponentials(tauRise: 0.5, tauDecay: 4), normalization: .integral),
            KernelSpec(name: "measured", shape: .sampled(values: [0, 0.5, 1, 0.25], step: 0.2)),
        ])
        XCTAssertEqual(spec.projections.map(\.kernel), ["fast", "bump", "dual", "measured"])
    }

    func testKernelProjectionWeightIsACurrentOntoEitherLIFModel() throws {
        let spec = try XCTUnwrap(cleanSpec(Self.drivenNetwork + """
            kernel k = alpha(tau = 5 ms)
            connect In -> N, X all_to_all kernel k weight 0.04 nA delay 1.5 ms
            connect In -> X fixed_indegree(5) weight 3 pA delay 1 ms as "direct"
            """))
        XCTAssertEqual(spec.projections.map(\.name), ["In->N", "In->X", "direct"])
        XCTAssertEqual(spec.projections[0].weight, .constant(40))
        XCTAssertEqual(spec.projections[0].delay, .constant(1.5))
        XCTAssertEqual(spec.projections[0].kernel, "k")
        XCTAssertEqual(spec.projections[1].kernel, "k")
        XCTAssertEqual(spec.projections[1].target, PopulationSlice(population: "X"))
        XCTAssertNil(spec.projections[2].kernel, "a connection without 'kernel' stays a PSP projection")
    }

    func testKernelClauseOnAContinuationLine() throws {
        let spec = try XCTUnwrap(cleanSpec(Self.drivenNetwork + """
            kernel k = exponential(tau = 3 ms)
            connect In -> N all_to_all
                kernel k weight 2 pA delay 1 ms
            """))
        XCTAssertEqual(spec.projections.first?.kernel, "k")
    }

    func testKernelStepAndItsDefault() throws {
        let defaulted = try XCTUnwrap(cleanSpec("population N = 1 lif_delta\nrecord spikes N"))
        XCTAssertEqual(defaulted.simulation.kernelStep, 0.1)
        let set = try XCTUnwrap(cleanSpec("population N = 1 lif_delta\nrecord spikes N\nsimulate 1 s kernel_step 50 us"))
        XCTAssertEqual(set.simulation.kernelStep, 0.05, accuracy: 1e-15)
    }

    func testSampledKernelFromAFileRelativeToTheNetwork() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vsl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "# measured EPSC\n0\n0.25\n\n1.0  # peak\n-0.125\n".write(to: directory.appendingPathComponent("k.txt"), atomically: true, encoding: .utf8)
        let source = Self.drivenNetwork + """
            kernel k = sampled(values = file("k.txt"), step = 0.3 ms, normalize = peak)
            connect In -> N all_to_all kernel k weight 5 pA delay 1 ms
            """
        let result = NetworkLanguage.compile(source: source, path: directory.appendingPathComponent("net.vsl").path)
        XCTAssertEqual(errors(result.diagnostics).map(\.description), [])
        XCTAssertEqual(result.spec?.kernels.first?.shape, .sampled(values: [0, 0.25, 1, -0.125], step: 0.3))
        XCTAssertEqual(result.spec?.kernels.first?.normalization, .peak)
    }

    func testUnusedKernelIsAWarning() throws {
        let clean = compile("population N = 1 lif_delta\nrecord spikes N\nkernel k = alpha(tau = 5 ms)")
        XCTAssertNotNil(clean.spec)
        XCTAssertEqual(warnings(clean.diagnostics).map(\.message), ["kernel 'k' is never used"])
        XCTAssertEqual(warnings(clean.diagnostics).first?.line, 3)
    }

    func testTheExampleNetworkCompiles() throws {
        let result = NetworkLanguage.compile(fileAt: networkFile("kernel_input.vsl"))
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let spec = try XCTUnwrap(result.spec)
        XCTAssertEqual(spec.kernels.map(\.name), ["epsc"])
        XCTAssertEqual(spec.projections.count, 1)
        XCTAssertEqual(spec.projections[0].kernel, "epsc")
        XCTAssertEqual(spec.populations.map(\.size), [50, 10])
    }
}
