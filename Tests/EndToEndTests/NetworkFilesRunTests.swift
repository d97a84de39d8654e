import Foundation
import XCTest
import VesicleDSL
import VesicleEngine
import VesicleModel
import VesicleSynapses

/// Every file in Networks/ compiles and runs through the same path as `vesicle run`. Large networks
/// are run for a shortened duration (stated per file), everything else as it is.
final class NetworkFilesRunTests: XCTestCase {
    static let networks = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Networks")

    func compile(_ name: String) throws -> NetworkSpec {
        let (spec, diagnostics) = NetworkLanguage.compile(fileAt: Self.networks.appendingPathComponent(name).path)
        XCTAssertTrue(diagnostics.allSatisfy { $0.severity != .error }, "\(name): \(diagnostics)")
        return try XCTUnwrap(spec, name)
    }

    func runSpiking(_ spec: NetworkSpec) throws -> SpikeCollector {
        let network = try NetworkBuilder.build(spec)
        let simulator = Simulator(network: network)
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        simulator.run(observer: collector)
        return collector
    }

    func testEveryFileIsCoveredHere() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.networks.path).filter { $0.hasSuffix(".vsl") }
        let covered: Set<String> = ["brunel_ai.vsl", "brunel_sr.vsl", "brunel_si_fast.vsl", "brunel_si_slow.vsl",
                                    "brette_cuba.vsl", "single_neuron.vsl", "bayesian_small.vsl", "kernel_input.vsl"]
        XCTAssertEqual(Set(files), covered, "a new network file needs a run test here")
    }

    /// Networks/kernel_input.vsl lowers to a kernel-driven projection. It is not run here yet: the
    /// engine integration of kernel-driven inputs (issue 5) adds its run test.
    func testKernelInputCompilesToAKernelProjection() throws {
        let spec = try compile("kernel_input.vsl")
        XCTAssertEqual(spec.projections.map(\.kernel), ["epsc"])
        XCTAssertEqual(spec.kernels.map(\.shape), [.alpha(tau: 5)])
    }

    /// The four Brunel regimes, 50 ms after a 20 ms warm-up (the full 1.1 s runs in `vesicle bench brunel`).
    func testBrunelRegimesRun() throws {
        for file in ["brunel_ai.vsl", "brunel_sr.vsl", "brunel_si_fast.vsl", "brunel_si_slow.vsl"] {
            var spec = try compile(file)
            spec.simulation.duration = 50
            spec.simulation.warmup = 20
            let spikes = try runSpiking(spec)
            XCTAssertGreaterThan(spikes.count, 1000, file)
        }
    }

    /// `vesicle bench brunel` and Networks/brunel_ai.vsl give identical rasters with the same seed.
    func testBenchmarkAndFileGiveIdenticalRasters() throws {
        var fromFile = try compile("brunel_ai.vsl")
        fromFile.simulation.duration = 30
        fromFile.simulation.warmup = 10
        let builtIn = ReferenceNetworks.brunel(regime: .C, neurons: 12_500, seed: fromFile.simulation.seed,
                                               duration: 30, warmup: 10)
        XCTAssertEqual(try runSpiking(fromFile).times, try runSpiking(builtIn).times)
    }

    /// Brette et al. (2007) CUBA for 200 ms: neurons start between reset and threshold with E_L above
    /// threshold, so every neuron fires by drift within its first tau_m ln((E_L - V_reset)/(E_L - theta))
    /// + t_ref ~ 53 ms at the latest, unless inhibition holds it back.
    func testBretteCUBARuns() throws {
        var spec = try compile("brette_cuba.vsl")
        spec.simulation.duration = 200
        let spikes = try runSpiking(spec)
        XCTAssertGreaterThan(spikes.count, 4000)
    }

    /// The single neuron under constant current fires at its closed-form period, as it is.
    func testSingleNeuronRunsAsItIs() throws {
        let spikes = try runSpiking(try compile("single_neuron.vsl"))
        let times = spikes.times[0][0]
        XCTAssertGreaterThan(times.count, 2)
        let periods = zip(times.dropFirst(), times).map { $0 - $1 }
        for p in periods { XCTAssertEqual(p, periods[0], accuracy: 1e-9) }
    }

    /// The Bayesian feedback network runs as it is and releases on every input spike.
    func testBayesianSmallRunsAsItIs() throws {
        var experiment = try FeedbackExperiment(spec: try compile("bayesian_small.vsl"))
        var releases = 0
        experiment.binObserver = { releases += $0.released.count }
        try experiment.runPlanned()
        XCTAssertGreaterThan(releases, 1000)
        XCTAssertEqual(releases, experiment.synapseUpdates)
    }
}
