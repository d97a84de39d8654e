import Foundation
import VesicleEngine
import VesicleIO
import VesicleModel

/// The run-level part of a checkpoint's payload (docs/CHECKPOINT.md, Payload): what a resume
/// checks before it touches anything (the vesicle that wrote it, the network file's SHA-256, the
/// seed) and the recorders' position; the engine's state follows it in the same payload.
struct RunCheckpointHeader: Equatable {
    var vesicleVersion: String
    var networkSHA256: String
    var seed: UInt64
    var warmupMs: Double
    /// The run's duration (after warm-up) when the checkpoint was written.
    var durationMs: Double
    /// The window boundary the checkpoint holds, and its index (windows completed).
    var timeMs: Double
    var window: Int
    /// `--checkpoint-every` as given ("" if none): a resume keeps the schedule.
    var checkpointEvery: String
    /// The thread count of the run that wrote it (informative: the state does not depend on it).
    var threads: Int
    var recorders: RecorderPosition

    func encode(into encoder: inout CheckpointEncoder) {
        encoder.section("run")
        encoder.string(vesicleVersion)
        encoder.string(networkSHA256)
        encoder.u64(seed)
        encoder.double(warmupMs)
        encoder.double(durationMs)
        encoder.double(timeMs)
        encoder.int(window)
        encoder.string(checkpointEvery)
        encoder.int(threads)
        recorders.encode(into: &encoder)
    }

    init(vesicleVersion: String, networkSHA256: String, seed: UInt64, warmupMs: Double, durationMs: Double, timeMs: Double,
         window: Int, checkpointEvery: String, threads: Int, recorders: RecorderPosition) {
        self.vesicleVersion = vesicleVersion
        self.networkSHA256 = networkSHA256
        self.seed = seed
        self.warmupMs = warmupMs
        self.durationMs = durationMs
        self.timeMs = timeMs
        self.window = window
        self.checkpointEvery = checkpointEvery
        self.threads = threads
        self.recorders = recorders
    }

    init(checkpoint decoder: inout CheckpointDecoder) throws {
        try decoder.section("run")
        vesicleVersion = try decoder.string()
        networkSHA256 = try decoder.string()
        seed = try decoder.u64()
        warmupMs = try decoder.double()
        durationMs = try decoder.double()
        timeMs = try decoder.double()
        window = try decoder.int()
        checkpointEvery = try decoder.string()
        threads = try decoder.int()
        recorders = try RecorderPosition(checkpoint: &decoder)
    }
}

/// A checkpoint read back: its header and a decoder positioned at the engine's state.
struct LoadedCheckpoint {
    let name: String
    let header: RunCheckpointHeader
    let engine: CheckpointDecoder

    /// Reads and verifies `directory/name` (container checksum, then the header).
    static func load(directory: String, name: String) throws -> LoadedCheckpoint {
        let payload = try CheckpointFile.read(path: directory + "/" + name)
        var decoder = CheckpointDecoder(bytes: payload)
        let header = try RunCheckpointHeader(checkpoint: &decoder)
        return LoadedCheckpoint(name: name, header: header, engine: decoder)
    }
}

/// What a spiking run does about checkpoints: when to write them, what to write in their header,
/// and what it has written (for the summary and the benchmark figures).
final class RunCheckpointing {
    let directory: RunDirectory
    let networkSHA256: String
    let interval: CheckpointInterval?
    var schedule: CheckpointSchedule?
    /// The window index of the last checkpoint written (none yet: -1).
    private(set) var lastWindow = -1
    private(set) var written = 0
    private(set) var totalSeconds = 0.0
    private(set) var lastBytes = 0
    private(set) var lastSeconds = 0.0

    init(directory: RunDirectory, networkSHA256: String, interval: CheckpointInterval?, from time: Double) {
        self.directory = directory
        self.networkSHA256 = networkSHA256
        self.interval = interval
        schedule = interval.map { CheckpointSchedule(interval: $0, from: time) }
    }

    /// Writes a checkpoint of the run as it stands at a window boundary.
    func write(simulator: Simulator, recorder: StreamingRecorder, spec: NetworkSpec, threads: Int) throws {
        guard simulator.counters.windows != lastWindow else { return }
        let started = Date()
        let header = RunCheckpointHeader(
            vesicleVersion: VesicleVersion.current, networkSHA256: networkSHA256, seed: spec.simulation.seed,
            warmupMs: spec.simulation.warmup, durationMs: spec.simulation.duration, timeMs: simulator.time,
            window: simulator.counters.windows, checkpointEvery: interval?.text ?? "", threads: threads,
            recorders: try recorder.checkpointPosition())
        var encoder = CheckpointEncoder(reservingCapacity: max(lastBytes, 1 << 16))
        header.encode(into: &encoder)
        try simulator.encodeCheckpoint(into: &encoder)
        lastBytes = try CheckpointFile.write(payload: encoder.bytes, name: CheckpointFile.name(window: simulator.counters.windows),
                                             directory: directory.path)
        lastWindow = simulator.counters.windows
        lastSeconds = Date().timeIntervalSince(started)
        totalSeconds += lastSeconds
        written += 1
        schedule?.wrote()
    }

    var summary: String {
        String(format: "  %d checkpoints (docs/CHECKPOINT.md), the last %.1f MB written in %.3f s; %.3f s in all",
               written, Double(lastBytes) / 1e6, lastSeconds, totalSeconds)
    }
}
