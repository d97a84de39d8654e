import ArgumentParser
import VesicleBench
import VesicleKernels

/// `vesicle bench convolve`: FFT path, direct path and bare FFTW transforms (docs/BENCHMARKS.md §4).
struct BenchConvolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convolve",
        abstract: "Time FFT (overlap-save) convolution against direct convolution and bare FFTW transforms.",
        discussion: """
            Prints the machine, the measured FFT/direct crossover, one row per kernel length and \
            channel count, and as its last line one JSON object with every figure. Direct times \
            marked '*' are extrapolated from a shorter run (their cost is K multiply-adds per sample). \
            Times are the CPU time of the benchmark thread, so that time spent descheduled on a \
            shared machine is not counted.
            """
    )

    @Flag(help: "A short run: signal of 2^14 samples, kernel lengths 8, 64, 1024, 8192, 1 and 16 channels.")
    var quick = false

    @Option(parsing: .unconditional, help: "Samples per channel (1 to 10^7; default 10^5, or 2^14 with --quick).")
    var signalLength: Int?

    @Option(parsing: .upToNextOption, help: "Kernel lengths in samples (default: powers of 2 from 8 to 65536, and 100, 1000, 10007).")
    var kernelLengths: [Int] = []

    @Option(parsing: .upToNextOption, help: "Channel counts (default 1 and 100, plus 10 and 1000 at K = 1024).")
    var channels: [Int] = []

    @Option(parsing: .unconditional, help: "Extrapolate the direct path when it would take longer than this many seconds.")
    var directBudget: Double = 3

    func validate() throws {
        if let signalLength, !(1...10_000_000).contains(signalLength) {
            throw ValidationError("--signal-length must lie in 1...10000000, got \(signalLength)")
        }
        if let bad = kernelLengths.first(where: { !(1...(1 << 20)).contains($0) }) {
            throw ValidationError("--kernel-lengths must lie in 1...1048576, got \(bad)")
        }
        if let bad = channels.first(where: { !(1...100_000).contains($0) }) {
            throw ValidationError("--channels must lie in 1...100000, got \(bad)")
        }
        guard directBudget > 0 else { throw ValidationError("--direct-budget must be positive") }
    }

    func run() throws {
        let report = try ConvolutionBenchmark.run(
            quick: quick, signalLength: signalLength,
            kernelLengths: kernelLengths.isEmpty ? nil : kernelLengths,
            channelCounts: channels.isEmpty ? nil : channels,
            directBudgetSeconds: directBudget,
            command: CommandLine.arguments.joined(separator: " "),
            progress: { line in print(line) })
        // The progress lines are the report; its last line, the JSON object, closes it.
        let lines: [Substring] = report.split(separator: "\n", omittingEmptySubsequences: false)
        print(String(lines[lines.count - 1]))
    }
}
