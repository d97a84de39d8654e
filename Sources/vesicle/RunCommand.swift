import ArgumentParser
import Foundation
import VesicleDSL
import VesicleEngine
import VesicleIO
import VesicleModel

/// `vesicle run FILE`: compile, check, build and simulate a network file; write its recordings.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a network file (.vsl) and write its recordings and metadata into a run directory.")

    @Argument(help: "The network file.")
    var file: String

    @Option(name: .long, help: "Output directory (overrides the file's `output`; default runs/<file name>).")
    var out: String?

    @Option(parsing: .unconditional, help: "Seed, 0 to 2^64-1 (overrides the file's).", transform: SeedOption.parse)
    var seed: UInt64?

    @Option(parsing: .unconditional,
            help: "Simulated time after warm-up, with its unit: 1s, 500ms, 2min (a bare number is ms, with a notice); overrides the file's.", transform: TimeOption.parse)
    var duration: TimeOption?

    @Option(help: "Output formats, comma-separated: csv, npy, hdf5.")
    var format: String = "csv"

    @Option(name: .customLong("kernel-path"),
            help: "How kernel-driven projections convolve: automatic (chosen by a timing taken in this run), direct or fft. The run's metadata records each projection's path; give it here to repeat a run byte for byte.")
    var kernelPath: String = KernelConvolutionPath.automatic.rawValue

    @Option(parsing: .unconditional, help: "Threads (partitions) each window runs on; results are byte for byte the same for any count.")
    var threads: Int = 1

    @Option(name: .customLong("checkpoint-every"), parsing: .unconditional,
            help: "Write a checkpoint this often: wall-clock with m, min or h (10m), simulated with s or ms (100s); wall: or sim: in front says so outright. Also at SIGINT/SIGTERM and at the end; the last two are kept. `vesicle resume` continues from one (docs/CHECKPOINT.md).", transform: CheckpointInterval.parse)
    var checkpointEvery: CheckpointInterval?

    @Option(name: .customLong("stop-after-window"), help: .hidden)
    var stopAfterWindow: Int?

    @Flag(help: "Replace the recordings of an earlier run in the same directory.")
    var force = false

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    @OptionGroup var memory: MemoryGuardOptions

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
        for name in format.split(separator: ",") where OutputFormat(rawValue: String(name)) == nil {
            throw ValidationError("unknown format '\(name)'; choose from csv, npy, hdf5")
        }
        try duration?.validate(flag: "--duration")
        if let stopAfterWindow, stopAfterWindow < 1 { throw ValidationError("--stop-after-window must be at least 1") }
        if KernelConvolutionPath(rawValue: kernelPath) == nil {
            throw ValidationError("unknown --kernel-path '\(kernelPath)'; choose from automatic, direct, fft")
        }
    }

    var formats: Set<OutputFormat> { Set(format.split(separator: ",").compactMap { OutputFormat(rawValue: String($0)) }) }

    func run() throws {
        // Under mpirun with several ranks (RunCommand+Ranks.swift); otherwise exactly the plain run.
        if let ranks = try RankGroup.start() { return try runOnRanks(ranks) }
        // Held until the metadata is written, so a second signal cannot kill the clean stop (StopSignal).
        let stop = StopSignal()
        defer { stop.uninstall() }
        let (compiled, diagnostics) = NetworkLanguage.compile(fileAt: file)
        let sourceData = FileManager.default.contents(atPath: file) ?? Data()
        let source = String(decoding: sourceData, as: UTF8.self)
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data(diagnostic.rendered(source: source).utf8))
        }
        guard var spec = compiled else { throw ExitCode(1) }
        if let seed { spec.simulation.seed = seed }
        if let duration { spec.simulation.duration = duration.milliseconds }
        try memory.check(spec)
        let directoryPath = out ?? spec.simulation.outputDirectory
            ?? "runs/" + URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let directory: RunDirectory
        do { directory = try RunDirectory(path: directoryPath, force: force) } catch {
            throw CommandFailure("\(error)")
        }
        var metadata = RunMetadata(
            vesicleVersion: VesicleVersion.current, networkFile: file,
            networkSHA256: SHA256.hex(of: SHA256.hash([UInt8](sourceData))), seed: spec.simulation.seed,
            durationMs: spec.simulation.duration, simulatedTimeMs: 0, wallTimeSeconds: 0, completed: false)
        metadata.warmupMs = spec.simulation.warmup
        metadata.checkpointEvery = checkpointEvery?.text
        metadata.ranks = 1
        metadata.threads = threads
        try directory.start(metadata: metadata)
        let started = Date()
        let outcome: RunOutcome
        do {
            if threads > 1 && (SynapticFilterRun.applies(to: spec) || !spec.feedbacks.isEmpty) {
                print("--threads applies to spiking networks; this experiment runs on one thread")
            }
            if SynapticFilterRun.applies(to: spec) {
                outcome = try SynapticFilterRun(spec: spec, directory: directory, formats: formats, quiet: quiet,
                                                networkSHA256: metadata.networkSHA256 ?? "", checkpointEvery: checkpointEvery,
                                                stopAfterWindow: stopAfterWindow).execute()
            } else if spec.feedbacks.isEmpty {
                outcome = try SpikingRun(spec: spec, directory: directory, formats: formats, quiet: quiet,
                                     kernelPath: KernelConvolutionPath(rawValue: kernelPath) ?? .automatic,
                                     threads: threads, networkSHA256: metadata.networkSHA256 ?? "",
                                     checkpointEvery: checkpointEvery, stopAfterWindow: stopAfterWindow).execute()
            } else {
                outcome = try FeedbackRun(spec: spec, directory: directory, formats: formats, quiet: quiet,
                                          networkSHA256: metadata.networkSHA256 ?? "", checkpointEvery: checkpointEvery,
                                          stopAfterWindow: stopAfterWindow).execute()
            }
        } catch {
            metadata.wallTimeSeconds = Date().timeIntervalSince(started)
            metadata.stopReason = "error: \(error)"
            try? directory.finish(metadata: metadata)
            throw CommandFailure("\(error)")
        }
        try outcome.finish(&metadata, spec: spec, started: started, directory: directory, path: directoryPath, quiet: quiet)
    }
}

/// What a run reports back to the command.
struct RunOutcome {
    var simulatedTime: Double
    var stopReason: String?
    var populations: [RunMetadata.Population]
    var releases: Int
    var summary: [String]
    /// Each kernel projection's convolution path; nil when there are none.
    var kernelPaths: [String: String]? = nil
}

/// An error message for the user, printed without a stack of type names. ArgumentParser prints it
/// after its own "Error: ", so the message carries no prefix of its own.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
