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
    /// Each kernel-driven projection's convolution path ("direct" or "fft"), by name: a resume
    /// builds each on its path (the two agree to rounding only).
    var kernelPaths: [String: String] = [:]
    /// The SHA-256 (hex) of every file the network file read (`NetworkSpec.readFiles`), by path.
    var inputSHA256: [String: String] = [:]
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
        encoder.int(kernelPaths.count)
        for (name, path) in kernelPaths.sorted(by: { $0.key < $1.key }) {
            encoder.string(name)
            encoder.string(path)
        }
        encoder.int(inputSHA256.count)
        for (path, sha) in inputSHA256.sorted(by: { $0.key < $1.key }) {
            encoder.string(path)
            encoder.string(sha)
        }
        recorders.encode(into: &encoder)
    }

    init(vesicleVersion: String, networkSHA256: String, seed: UInt64, warmupMs: Double, durationMs: Double, timeMs: Double,
         window: Int, checkpointEvery: String, threads: Int, kernelPaths: [String: String] = [:],
         inputSHA256: [String: String] = [:], recorders: RecorderPosition) {
        self.vesicleVersion = vesicleVersion
        self.networkSHA256 = networkSHA256
        self.seed = seed
        self.warmupMs = warmupMs
        self.durationMs = durationMs
        self.timeMs = timeMs
        self.window = window
        self.checkpointEvery = checkpointEvery
        self.threads = threads
        self.kernelPaths = kernelPaths
        self.inputSHA256 = inputSHA256
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
        let n = try decoder.int()
        guard (0...1 << 20).contains(n) else { throw CheckpointError("\(n) kernel projections") }
        var paths: [String: String] = [:]
        for _ in 0..<n {
            let name = try decoder.string(), path = try decoder.string()
            guard path == "direct" || path == "fft" else { throw CheckpointError("kernel projection '\(name)': path '\(path)'") }
            paths[name] = path
        }
        kernelPaths = paths
        let m = try decoder.int()
        guard (0...1 << 20).contains(m) else { throw CheckpointError("\(m) files read by the network") }
        var digests: [String: String] = [:]
        for _ in 0..<m {
            let path = try decoder.string()
            digests[path] = try decoder.string()
        }
        inputSHA256 = digests
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

    /// An experiment's payload (docs/CHECKPOINT.md): section `section`, the window, the experiment's
    /// own state read by `restore`, then `end`. Returns the window; any mismatch is the user's error.
    func restoreExperiment(section: String, _ restore: (inout CheckpointDecoder) throws -> Void) throws -> Int {
        var decoder = engine
        do {
            try decoder.section(section)
            let window = try decoder.int()
            try restore(&decoder)
            try decoder.section("end")
            return window
        } catch {
            throw CommandFailure("checkpoint \(name) does not fit this experiment: \(error)")
        }
    }

    /// The payload `restoreExperiment` reads.
    static func encodeExperiment(section: String, window: Int, into encoder: inout CheckpointEncoder,
                                 _ encode: (inout CheckpointEncoder) throws -> Void) rethrows {
        encoder.section(section)
        encoder.int(window)
        try encode(&encoder)
        encoder.section("end")
    }
}

/// What a spiking run does about checkpoints: when to write them, what to write in their header,
/// and what it has written (for the summary and the benchmark figures).
///
/// On MPI ranks every rank has one and calls `write` at the same windows: each encodes its state,
/// rank 0 gathers the other ranks' parts, merges them into the one-process payload and writes the
/// file (docs/CHECKPOINT.md, On ranks); a failure on any rank before the gather is agreed on by all.
final class RunCheckpointing {
    /// The run directory; nil on the ranks other than 0, which write nothing.
    let directory: RunDirectory?
    let ranks: RankGroup?
    let networkSHA256: String
    let interval: CheckpointInterval?
    var schedule: CheckpointSchedule?
    /// The window index of the last checkpoint written (none yet: -1).
    private(set) var lastWindow = -1
    private(set) var written = 0
    private(set) var totalSeconds = 0.0
    private(set) var lastBytes = 0
    private(set) var lastSeconds = 0.0
    /// The SHA-256s of the files the network read, taken at the first checkpoint.
    private var inputSHA256: [String: String]?
    /// On ranks, a wall-clock schedule is agreed every this many windows (one small collective):
    /// each rank's clock differs, and all must write at the same window.
    static let wallAgreementWindows = 16

    /// The SHA-256 (hex) of each file the network file read, by path.
    static func digests(of spec: NetworkSpec) throws -> [String: String] {
        var digests: [String: String] = [:]
        for path in spec.readFiles.paths where digests[path] == nil { digests[path] = try SHA256.hexDigest(ofFile: path) }
        return digests
    }

    init(directory: RunDirectory?, ranks: RankGroup? = nil, networkSHA256: String, interval: CheckpointInterval?, from time: Double) {
        precondition(directory != nil || ranks?.isRoot == false, "rank 0 (or the one process) writes into a directory")
        self.directory = directory
        self.ranks = ranks
        self.networkSHA256 = networkSHA256
        self.interval = interval
        schedule = interval.map { CheckpointSchedule(interval: $0, from: time) }
    }

    /// Whether the schedule asks for a checkpoint at the end of window `window` (time `time`). On
    /// ranks a simulated-time schedule is the same on every rank; a wall-clock one is rank 0's,
    /// agreed every `wallAgreementWindows` windows.
    func isDue(at time: Double, window: Int) -> Bool {
        guard schedule != nil else { return false }
        guard let ranks, schedule?.interval.clock == .wall else { return schedule!.isDue(at: time) }
        guard window % Self.wallAgreementWindows == 0 else { return false }
        let wish = ranks.isRoot && schedule!.isDue(at: time) ? 1 : 0
        return ranks.exchange.sum([wish])[0] > 0
    }

    /// Writes a checkpoint of the run as it stands at a window boundary (`recorder`: rank 0's).
    func write(simulator: Simulator, recorder: StreamingRecorder?, spec: NetworkSpec, threads: Int) throws {
        guard simulator.counters.windows != lastWindow else { return }
        let positions = Result { try recorder?.checkpointPosition() }
        try write(window: simulator.counters.windows, time: simulator.time, spec: spec, threads: threads,
                  kernelPaths: simulator.network.kernelPaths, recorders: positions) {
            try simulator.encodeCheckpoint(into: &$0)
        }
    }

    /// Writes a checkpoint: the run header with `recorders` (the files synced), then `engine`'s state.
    /// A window already checkpointed is not written again.
    func write(window: Int, time: Double, spec: NetworkSpec, threads: Int, kernelPaths: [String: String] = [:],
               recorders: RecorderPosition, engine: (inout CheckpointEncoder) throws -> Void) throws {
        try write(window: window, time: time, spec: spec, threads: threads, kernelPaths: kernelPaths,
                  recorders: .success(recorders), engine: engine)
    }

    private func write(window: Int, time: Double, spec: NetworkSpec, threads: Int, kernelPaths: [String: String],
                       recorders: Result<RecorderPosition?, Error>, engine: (inout CheckpointEncoder) throws -> Void) throws {
        guard window != lastWindow else { return }
        let started = Date()
        let isRoot = ranks?.isRoot ?? true
        var encoder = CheckpointEncoder(reservingCapacity: max(lastBytes, 1 << 16))
        let encoded = Result {
            if isRoot {
                if inputSHA256 == nil { inputSHA256 = try Self.digests(of: spec) }
                guard let position = try recorders.get() else { throw CheckpointError("rank 0 has no recorders") }
                let header = RunCheckpointHeader(
                    vesicleVersion: VesicleVersion.current, networkSHA256: networkSHA256, seed: spec.simulation.seed,
                    warmupMs: spec.simulation.warmup, durationMs: spec.simulation.duration, timeMs: time,
                    window: window, checkpointEvery: interval?.text ?? "", threads: threads,
                    kernelPaths: kernelPaths, inputSHA256: inputSHA256 ?? [:], recorders: position)
                header.encode(into: &encoder)  // rank 0's alone, without rank spans
            }
            try engine(&encoder)
        }
        var payload = encoder.bytes
        if let ranks {
            // Every rank learns of any rank's failure here, before the gather, so none waits in it.
            switch encoded {
            case .success: try ranks.agree(nil)
            case .failure(let error): try ranks.agree("\(error)")
            }
            let parts = ranks.exchange.gatherOnRoot(isRoot ? [] : encoder.rankContribution())
            // Every rank has taken part in this window's checkpoint, whatever rank 0's writing does next.
            lastWindow = window
            schedule?.wrote()
            if isRoot { payload = try CheckpointEncoder.mergingRanks(root: encoder, contributions: Array(parts.dropFirst())) }
        } else {
            try encoded.get()
        }
        if let directory {
            lastBytes = try CheckpointFile.write(payload: payload, name: CheckpointFile.name(window: window),
                                                 directory: directory.path)
        } else {
            lastBytes = encoder.bytes.count
        }
        lastWindow = window
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
