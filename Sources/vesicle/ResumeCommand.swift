import ArgumentParser
import Foundation
import VesicleDSL
import VesicleEngine
import VesicleIO
import VesicleModel

/// `vesicle resume RUNDIR`: continue a run from a checkpoint (docs/CHECKPOINT.md). Everything that
/// can refuse is checked before anything in the directory changes: the checkpoint's checksum and
/// version, the network file's SHA-256, the recorder files' presence and length.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a run from its last checkpoint; its files come out byte for byte as an uninterrupted run's (docs/CHECKPOINT.md).")

    @Argument(help: "The run directory (a `vesicle run --checkpoint-every` wrote checkpoints into it).")
    var runDirectory: String

    @Option(parsing: .unconditional, help: "Threads (partitions) each window runs on; the files are the same for any count before and after.")
    var threads: Int = 1

    @Option(parsing: .unconditional,
            help: "The run's new duration after warm-up (as `vesicle run --duration`): extends a finished or interrupted run.",
            transform: TimeOption.parse)
    var duration: TimeOption?

    @Option(help: "The checkpoint to resume from (a `.checkpoint-*.vsck` name in the run directory; default the newest).")
    var checkpoint: String?

    @Option(help: "The network file, when it has moved since the run (its SHA-256 must match the checkpoint's).")
    var network: String?

    @Option(name: .customLong("checkpoint-every"), parsing: .unconditional, help: "Change the checkpoint interval (default: the run's).",
            transform: CheckpointInterval.parse)
    var checkpointEvery: CheckpointInterval?

    @Option(name: .customLong("kernel-path"),
            help: "direct or fft: refused unless it is the path every kernel-driven projection was convolved on before (default: that path; the two agree to rounding only).")
    var kernelPath: String?

    @Option(name: .customLong("stop-after-window"), help: .hidden)
    var stopAfterWindow: Int?

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
        try duration?.validate(flag: "--duration")
        if let kernelPath, kernelPath != "direct", kernelPath != "fft" {
            throw ValidationError("unknown --kernel-path '\(kernelPath)'; choose direct or fft (automatic would choose anew)")
        }
    }

    /// A refusal: the message, and the promise that nothing was changed.
    func refuse(_ reason: String) -> CommandFailure {
        CommandFailure("cannot resume \(runDirectory): \(reason)\nnothing in \(runDirectory) was changed")
    }

    /// Everything a resume checks before the directory changes: a refusal changes nothing.
    func prepare(printDiagnostics: Bool = true) throws -> ResumePlan {
        let dir = runDirectory
        var metadata: RunMetadata
        do { metadata = try RunDirectory.metadata(of: dir) } catch { throw refuse("\(error)") }
        let names = CheckpointFile.list(in: dir)
        guard let newest = names.last else {
            throw refuse("it holds no checkpoint (a run writes them with --checkpoint-every, and at SIGINT or SIGTERM when it does)")
        }
        let chosen = checkpoint ?? newest
        guard names.contains(chosen) else { throw refuse("it holds no checkpoint \(chosen); it holds \(names.joined(separator: ", "))") }
        let loaded: LoadedCheckpoint
        do { loaded = try LoadedCheckpoint.load(directory: dir, name: chosen) } catch {
            var reason = "\(error)"
            for older in names.filter({ $0 < chosen }).reversed() {
                if let valid = try? LoadedCheckpoint.load(directory: dir, name: older) {
                    reason += "\nthe previous checkpoint \(older) (t = \(TimeOption.trim(valid.header.timeMs)) ms) is valid: vesicle resume \(dir) --checkpoint \(older)"
                    break
                }
            }
            throw refuse(reason)
        }
        let header = loaded.header
        if let kernelPath {
            for (name, path) in header.kernelPaths.sorted(by: { $0.key < $1.key }) where path != kernelPath {
                throw refuse("kernel projection '\(name)' was convolved on the \(path) path up to checkpoint \(chosen); --kernel-path \(kernelPath) would continue it on another, which agrees to rounding only, not byte for byte")
            }
        }
        guard header.vesicleVersion == VesicleVersion.current else {
            throw refuse("checkpoint \(chosen) was written by vesicle \(header.vesicleVersion); this is vesicle \(VesicleVersion.current), whose results may differ")
        }
        guard let file = network ?? metadata.networkFile else { throw refuse("the metadata names no network file; give it with --network") }
        guard let sourceData = FileManager.default.contents(atPath: file) else {
            throw refuse("the network file \(file) cannot be read; give its new place with --network")
        }
        let sha = SHA256.hex(of: SHA256.hash([UInt8](sourceData)))
        guard sha == header.networkSHA256 else {
            throw refuse("the network file \(file) is not the one checkpoint \(chosen) was written from (SHA-256 \(sha.prefix(16))… now, \(header.networkSHA256.prefix(16))… then)")
        }
        let (compiled, diagnostics) = NetworkLanguage.compile(fileAt: file)
        let source = String(decoding: sourceData, as: UTF8.self)
        if printDiagnostics {
            for diagnostic in diagnostics { FileHandle.standardError.write(Data(diagnostic.rendered(source: source).utf8)) }
        }
        guard var spec = compiled else { throw ExitCode(1) }
        // The files the network reads must be those it read then (by path as the network names them).
        let digests: [String: String]
        do { digests = try RunCheckpointing.digests(of: spec) } catch { throw refuse("a file the network reads: \(error)") }
        for (path, then) in header.inputSHA256.sorted(by: { $0.key < $1.key }) {
            guard let now = digests[path] else {
                throw refuse("the network no longer reads \(path), which it read when checkpoint \(chosen) was written")
            }
            guard now == then else {
                throw refuse("the file \(path), which the network reads, is not the one checkpoint \(chosen) was written with (SHA-256 \(now.prefix(16))… now, \(then.prefix(16))… then)")
            }
        }
        if let path = digests.keys.sorted().first(where: { header.inputSHA256[$0] == nil }) {
            throw refuse("the network now reads \(path), which it did not read when checkpoint \(chosen) was written")
        }
        spec.simulation.seed = header.seed
        spec.simulation.duration = duration?.milliseconds ?? header.durationMs
        guard spec.simulation.warmup == header.warmupMs else {
            throw refuse("the network's warm-up is \(spec.simulation.warmup) ms, the checkpoint's \(header.warmupMs) ms")
        }
        let end = spec.simulation.warmup + spec.simulation.duration
        guard end >= header.timeMs else {
            throw refuse("--duration \(duration?.text ?? "") ends before the checkpoint's time (\(TimeOption.trim(header.timeMs)) ms, warm-up included)")
        }
        guard end > header.timeMs || header.timeMs < header.warmupMs + header.durationMs || duration != nil else {
            throw refuse("the run is complete at \(TimeOption.trim(header.timeMs)) ms; give --duration to extend it")
        }
        // The recorder files must hold at least what the checkpoint says was written.
        var moves: [(from: String, to: String)] = []
        for file in header.recorders.tables.values.flatMap(\.files).sorted(by: { $0.name < $1.name }) {
            let final = dir + "/" + file.name, partial = final + ".partial"
            let path: String
            if FileManager.default.fileExists(atPath: partial) {
                path = partial
            } else if FileManager.default.fileExists(atPath: final), !file.name.hasPrefix(".") {
                path = final
                moves.append((final, partial))
            } else if file.name.hasPrefix("."), metadata.files.contains(where: { $0.hasSuffix(".npy") || $0.hasSuffix(".h5") }) {
                // A scratch column file a complete end removed: the recorder writes it anew from the
                // NumPy or HDF5 files it was assembled into, checked against this SHA-256 (ColumnSpill+Rebuild.swift).
                continue
            } else {
                throw refuse("\(file.name.hasPrefix(".") ? "the scratch file " + file.name + ".partial" : file.name), which checkpoint \(chosen) continues, is missing")
            }
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
            guard size >= file.bytes else {
                throw refuse("\(path) holds \(size) bytes, fewer than the \(file.bytes) checkpoint \(chosen) says were written")
            }
            // By content: the bytes the checkpoint says were written must be those bytes.
            let prefix: String
            do { prefix = SHA256.hex(of: try SHA256.prefixHasher(ofFile: path, bytes: file.bytes).finalize()) } catch {
                throw refuse("\(error)")
            }
            guard prefix == file.sha256 else {
                throw refuse("the first \(file.bytes) bytes of \(path) are not those checkpoint \(chosen) recorded (SHA-256 \(prefix.prefix(16))… now, \(file.sha256.prefix(16))… then): the file was changed after it was written")
            }
        }

        return ResumePlan(metadata: metadata, chosen: chosen, loaded: loaded, spec: spec, sha: sha, moves: moves)
    }

    func run() throws {
        if let ranks = try RankGroup.start() { return try resumeOnRanks(ranks) }
        let stop = StopSignal()
        defer { stop.uninstall() }
        let plan = try prepare()
        var metadata = plan.metadata
        let chosen = plan.chosen, loaded = plan.loaded, spec = plan.spec, sha = plan.sha
        let header = loaded.header, dir = runDirectory
        // From here on the directory changes.
        for move in plan.moves {
            guard rename(move.from, move.to) == 0 else { throw CommandFailure("cannot reopen \(move.from): \(String(cString: strerror(errno)))") }
        }
        let directory = try RunDirectory(resuming: dir, runFiles: Set(metadata.files))
        let previousWall = metadata.wallTimeSeconds
        metadata.durationMs = spec.simulation.duration
        metadata.files = []
        metadata.resumedFrom = (metadata.resumedFrom ?? [])
            + [RunMetadata.Resumption(checkpoint: chosen, timeMs: header.timeMs, window: header.window, threads: threads)]
        if let checkpointEvery { metadata.checkpointEvery = checkpointEvery.text }
        try directory.start(metadata: metadata)
        let started = Date()
        let outcome: RunOutcome
        do {
            if !SynapticFilterRun.applies(to: spec), !spec.feedbacks.isEmpty {
                outcome = try FeedbackRun(spec: spec, directory: directory,
                                          formats: Set(header.recorders.formats.compactMap(OutputFormat.init(rawValue:))),
                                          quiet: quiet, networkSHA256: sha, checkpointEvery: checkpointEvery,
                                          stopAfterWindow: stopAfterWindow, resume: loaded).execute()
            } else if SynapticFilterRun.applies(to: spec) {
                outcome = try SynapticFilterRun(spec: spec, directory: directory,
                                                formats: Set(header.recorders.formats.compactMap(OutputFormat.init(rawValue:))),
                                                quiet: quiet, networkSHA256: sha, checkpointEvery: checkpointEvery,
                                                stopAfterWindow: stopAfterWindow, resume: loaded).execute()
            } else {
                outcome = try SpikingRun(spec: spec, directory: directory,
                                         formats: Set(header.recorders.formats.compactMap(OutputFormat.init(rawValue:))), quiet: quiet,
                                         kernelPath: .automatic, threads: threads, networkSHA256: sha, checkpointEvery: checkpointEvery,
                                         stopAfterWindow: stopAfterWindow, resume: loaded).execute()
            }
        } catch {
            metadata.wallTimeSeconds = previousWall + Date().timeIntervalSince(started)
            metadata.stopReason = "error: \(error)"
            try? directory.finish(metadata: metadata)
            throw CommandFailure("\(error)")
        }
        try outcome.finish(&metadata, spec: spec, started: started, directory: directory, path: dir, quiet: quiet,
                           previousWall: previousWall,
                           wrote: "resumed \(dir) from \(chosen) at \(TimeOption.trim(header.timeMs)) ms; wrote it")
    }
}

/// What `ResumeCommand.prepare` checked and found: the run's metadata, the checkpoint, the network
/// compiled with the checkpoint's seed and the new duration, and the recorder files to reopen.
struct ResumePlan {
    var metadata: RunMetadata
    let chosen: String
    let loaded: LoadedCheckpoint
    let spec: NetworkSpec
    /// The network file's SHA-256 (hex).
    let sha: String
    /// Finished recorder files to move back under their temporary names.
    let moves: [(from: String, to: String)]
}
