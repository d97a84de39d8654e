import ArgumentParser
import Foundation
import VesicleEngine
import VesicleModel

/// Cost of kernel-driven projections in the engine (issue 5): Poisson sources drive lif_delta
/// targets through one kernel projection; the same run on the direct (scatter into a future-current
/// ring) and FFT (overlap-add per window) paths, against the run without the projection.
struct BenchKernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Kernel projection cost per synaptic event, direct vs FFT path.")

    // Sizes are counts; times take units through TimeOption (a bare number is ms, with a notice).
    @Option(parsing: .unconditional, help: "Kernel length in grid steps (a count, at least 1).")
    var kernelLength: Int = 1000

    @Option(parsing: .unconditional, help: "Source neurons (poisson_source; a count, at least 1).")
    var sources: Int = 1000

    @Option(parsing: .unconditional, help: "Target neurons (lif_delta; a count, at least 1).")
    var targets: Int = 100

    @Option(parsing: .unconditional, help: "Inputs per target (fixed in-degree; at least 1 and at most --sources).")
    var indegree: Int = 100

    @Option(parsing: .unconditional, help: "Source rate in Hz (0 to 1e4).")
    var rate: Double = 20

    @Option(name: .customLong("step"), parsing: .unconditional, help: "Kernel grid step, with its unit: 0.1ms.",
            transform: TimeOption.parse)
    var stepTime = TimeOption(milliseconds: 0.1, text: "0.1ms", bare: false)

    @Option(name: .customLong("duration"), parsing: .unconditional, help: "Simulated time, with its unit: 1s, 500ms.",
            transform: TimeOption.parse)
    var durationTime = TimeOption(milliseconds: 1000, text: "1000ms", bare: false)

    var step: Double { stepTime.milliseconds }
    var duration: Double { durationTime.milliseconds }

    func validate() throws {
        for (flag, value) in [("--kernel-length", kernelLength), ("--sources", sources), ("--targets", targets), ("--indegree", indegree)]
        where value < 1 {
            throw ValidationError("\(flag) \(value) is out of range: give at least 1")
        }
        guard indegree <= sources else {
            throw ValidationError("--indegree \(indegree) is more than --sources \(sources): each target draws its inputs from the sources without repeats")
        }
        guard rate >= 0, rate <= 1e4, rate.isFinite else {
            throw ValidationError("--rate \(rate) is out of range: give 0 to 10000 Hz, e.g. --rate 20")
        }
        try stepTime.validate(flag: "--step", maximum: 1000)
        try durationTime.validate(flag: "--duration", maximum: 1e7)
    }

    func spec(kernel: Bool) -> NetworkSpec {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: duration, seed: 1))
        spec.simulation.kernelStep = step
        let tau = Double(kernelLength) * step / 5
        spec.kernels = [KernelSpec(name: "k", shape: .sampled(values: (0..<kernelLength).map { exp(-Double($0) * step / tau) }, step: step))]
        var lif = LIFParameters()
        lif.threshold = 1e9
        spec.populations = [PopulationSpec(name: "S", size: sources, model: .poissonSource(rate: .constant(rate), refractoryPeriod: 0)),
                            PopulationSpec(name: "T", size: targets, model: .lifDelta(lif))]
        var projection = ProjectionSpec(name: "S->T", source: .init(population: "S"), target: .init(population: "T"),
                                        rule: .fixedIndegree(indegree), weight: .constant(1), delay: .constant(1))
        if kernel { projection.kernel = "k" }
        spec.projections = [projection]
        return spec
    }

    func timed(_ spec: NetworkSpec, path: KernelConvolutionPath) throws -> (seconds: Double, events: Int, network: Network) {
        let network = try NetworkBuilder.build(spec, kernelPath: path)
        let simulator = Simulator(network: network)
        let cost = ContinuousClock().measure { simulator.run() }
        let seconds = BenchmarkMachine.seconds(cost)
        return (seconds, network.kernelSynapticEvents, network)
    }

    func run() throws {
        print(BenchmarkMachine.summary)
        print("\(sources) poisson sources at \(rate) Hz -> \(targets) lif_delta targets, in-degree \(indegree), kernel \(kernelLength) steps of \(step) ms, \(duration) ms")
        var json = JSONLine()
        json.add("benchmark", "kernel")
        let baseline = try timed(spec(kernel: false), path: .direct).seconds
        print(String(format: "jump projection (no kernel)  %.3f s", baseline))
        json.add("jump_seconds", baseline)
        var kernelEvents = 0
        for (label, path) in [("direct", KernelConvolutionPath.direct), ("fft", .fft)] {
            // The direct path counts the events of the simulated time; the FFT path also counts
            // those binned ahead into its last look-ahead block, so both use the direct count.
            let (seconds, binned, _) = try timed(spec(kernel: true), path: path)
            if path == .direct { kernelEvents = binned }
            let events = kernelEvents
            let perEvent = (seconds - baseline) / Double(max(events, 1)) * 1e9
            let perStep = (seconds - baseline) / (Double(targets) * duration / step) * 1e9
            print(String(format: "%-6@ %.3f s, %d kernel events, %.1f ns per event, %.1f ns per target and step (beyond the jump run)",
                         label as NSString, seconds, events, perEvent, perStep))
            json.add("\(label)_seconds", seconds)
            json.add("\(label)_ns_per_event", perEvent)
            json.add("\(label)_ns_per_target_step", perStep)
        }
        json.add("kernel_events", kernelEvents)
        json.add("kernel_length", kernelLength)
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        print(json.text)
    }
}
