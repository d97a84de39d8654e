import Foundation

/// What a run directory's `metadata.json` records: enough to reproduce the run (network file and
/// its SHA-256, seed, version) and to know whether its files are whole (`completed`, and the
/// simulated time reached when it stopped early).
public struct RunMetadata: Codable, Equatable, Sendable {
    /// Size and spike count of one population.
    public struct Population: Codable, Equatable, Sendable {
        public var name: String
        public var neurons: Int
        public var spikes: Int
        public init(name: String, neurons: Int, spikes: Int) {
            self.name = name
            self.neurons = neurons
            self.spikes = spikes
        }
    }

    public var vesicleVersion: String
    /// Path of the network file as given, or nil for a network built in code.
    public var networkFile: String?
    /// Lower-case hex SHA-256 of the network file's bytes.
    public var networkSHA256: String?
    public var seed: UInt64
    /// Requested simulated duration (ms).
    public var durationMs: Double
    /// Simulated time before recording started, ms (recordings cover [warmup, warmup + duration)).
    public var warmupMs: Double? = nil
    /// Simulated time reached (ms); equals `durationMs` for a completed run.
    public var simulatedTimeMs: Double
    /// Wall-clock time of the simulation (s).
    public var wallTimeSeconds: Double
    public var completed: Bool
    /// Why the run stopped early ("SIGINT", an error message), nil when completed.
    public var stopReason: String?
    /// The convolution path ("direct" or "fft") each kernel-driven projection took, by projection
    /// name. Both compute the same currents to rounding, not bit for bit, and `automatic` chooses
    /// by a timing taken in the run; `vesicle run --kernel-path` with the recorded path repeats a
    /// run byte for byte. Nil when the network has no kernel projection.
    public var kernelPaths: [String: String]? = nil
    public var populations: [Population]
    public var releases: Int
    /// The unit of the release log's `amplitude` column ("mV" or "pA"; docs/MODEL.md §3); nil when
    /// nothing is logged or the logged projections differ.
    public var releaseAmplitudeUnit: String? = nil
    /// Output files, relative to the run directory.
    public var files: [String]
    /// Files written into the run directory later from its recordings (`vesicle analyze`'s
    /// `analysis.json`, `vesicle plot`'s figures), so that `--force` removes them with the run.
    public var derivedFiles: [String]? = nil
    /// Each output file's size in bytes and SHA-256 (hex), taken when the run finished, so that
    /// `analyze` and `plot` detect a truncated or altered file (RunIntegrity.swift). Nil in runs
    /// written before they were recorded; the digest is left out for files above
    /// `RunIntegrity.largestDigestedFile`.
    public var fileSizes: [String: Int]? = nil
    public var fileSHA256: [String: String]? = nil
    /// The process's peak resident set (VmHWM, bytes) and the MemoryEstimate made before the run,
    /// so that the estimate can be checked against what a run really took.
    public var peakResidentBytes: Int? = nil
    public var estimatedPeakBytes: Int? = nil
    /// One entry per `vesicle resume` of this run, oldest first (docs/CHECKPOINT.md): which
    /// checkpoint it continued from. Nil for a run that never resumed.
    public var resumedFrom: [Resumption]? = nil
    /// The checkpoint interval the run was started with (`--checkpoint-every`), as given.
    public var checkpointEvery: String? = nil

    /// One resumption: the checkpoint file, the simulated time and window index it held.
    public struct Resumption: Codable, Equatable, Sendable {
        public var checkpoint: String
        public var timeMs: Double
        public var window: Int
        public var threads: Int
        /// The MPI ranks the resumed run ran on (nil: one process).
        public var ranks: Int?

        public init(checkpoint: String, timeMs: Double, window: Int, threads: Int, ranks: Int? = nil) {
            self.checkpoint = checkpoint
            self.timeMs = timeMs
            self.window = window
            self.threads = threads
            self.ranks = ranks
        }

        enum CodingKeys: String, CodingKey {
            case checkpoint
            case timeMs = "time_ms"
            case window
            case threads
            case ranks
        }
    }
    /// The processes (MPI ranks) and the threads of each that ran the windows (docs/DESIGN.md, Ranks).
    public var ranks: Int? = nil
    public var threads: Int? = nil

    enum CodingKeys: String, CodingKey {
        case vesicleVersion = "vesicle_version"
        case networkFile = "network_file"
        case networkSHA256 = "network_sha256"
        case seed
        case durationMs = "duration_ms"
        case warmupMs = "warmup_ms"
        case simulatedTimeMs = "simulated_time_ms"
        case wallTimeSeconds = "wall_time_s"
        case completed
        case stopReason = "stop_reason"
        case kernelPaths = "kernel_paths"
        case populations
        case releases
        case releaseAmplitudeUnit = "release_amplitude_unit"
        case files
        case derivedFiles = "derived_files"
        case fileSizes = "file_sizes"
        case fileSHA256 = "file_sha256"
        case peakResidentBytes = "peak_resident_bytes"
        case estimatedPeakBytes = "estimated_peak_bytes"
        case resumedFrom = "resumed_from"
        case checkpointEvery = "checkpoint_every"
        case ranks
        case threads
    }

    public init(
        vesicleVersion: String, networkFile: String? = nil, networkSHA256: String? = nil, seed: UInt64,
        durationMs: Double, simulatedTimeMs: Double, wallTimeSeconds: Double, completed: Bool,
        stopReason: String? = nil, populations: [Population] = [], releases: Int = 0, files: [String] = []
    ) {
        self.vesicleVersion = vesicleVersion
        self.networkFile = networkFile
        self.networkSHA256 = networkSHA256
        self.seed = seed
        self.durationMs = durationMs
        self.simulatedTimeMs = simulatedTimeMs
        self.wallTimeSeconds = wallTimeSeconds
        self.completed = completed
        self.stopReason = stopReason
        self.populations = populations
        self.releases = releases
        self.files = files
    }

    /// Pretty, key-sorted JSON so two runs diff cleanly.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    public static func read(path: String) throws -> RunMetadata {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw VesicleIOError.readFailed(path: path, reason: error.localizedDescription)
        }
        do { return try JSONDecoder().decode(RunMetadata.self, from: data) } catch let error as DecodingError {
            throw VesicleIOError.malformed(path: path, reason: "not Vesicle run metadata (\(summary(of: error)))")
        } catch {
            throw VesicleIOError.malformed(path: path, reason: "not Vesicle run metadata")
        }
    }

    private static func summary(of error: DecodingError) -> String {
        func keyPath(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing '\(keyPath(context.codingPath + [key]))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "'\(keyPath(context.codingPath))' has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "'\(keyPath(context.codingPath))' is invalid"
        @unknown default:
            return "unreadable"
        }
    }
}
