// `mpirun -np R vesicle resume RUNDIR --threads T` (docs/CHECKPOINT.md, On ranks): every rank makes
// the resume's checks and reads the checkpoint (the run directory must be on a file system every
// rank sees), and restores its own part of the one-process state from it, whatever the rank count
// that wrote it; rank 0 alone changes the directory and writes. As in `run` on ranks, every step
// that can fail on one rank is followed by an agreement, so one message from rank 0 names the rank.

import ArgumentParser
import Foundation
import VesicleEngine
import VesicleIO
import VesicleModel

extension ResumeCommand {
    func resumeOnRanks(_ ranks: RankGroup) throws {
        do {
            try resumeRanked(ranks)
            ranks.finish()
        } catch let code as ExitCode {
            ranks.finish()
            throw ranks.isRoot ? code : ExitCode(0)
        } catch {
            if ranks.isRoot, !(error is RankStop) { FileHandle.standardError.write(Data("Error: \(error)\n".utf8)) }
            ranks.finish()
            throw ExitCode(ranks.isRoot ? 1 : 0)
        }
    }

    private func resumeRanked(_ ranks: RankGroup) throws {
        let stop = StopSignal()
        defer { stop.uninstall() }
        let plan = try ranks.agreeing {
            let plan = try prepare(printDiagnostics: ranks.isRoot)
            if SynapticFilterRun.applies(to: plan.spec) || !plan.spec.feedbacks.isEmpty {
                throw refuse("synaptic-filter and feedback experiments run in one process; resume this run without mpirun")
            }
            return plan
        }
        let header = plan.loaded.header, dir = runDirectory
        var metadata = plan.metadata
        let previousWall = metadata.wallTimeSeconds
        metadata.durationMs = plan.spec.simulation.duration
        metadata.files = []
        metadata.resumedFrom = (metadata.resumedFrom ?? [])
            + [RunMetadata.Resumption(checkpoint: plan.chosen, timeMs: header.timeMs, window: header.window, threads: threads,
                                      ranks: ranks.count)]
        if let checkpointEvery { metadata.checkpointEvery = checkpointEvery.text }
        // From here on rank 0 changes the directory.
        let directory: RunDirectory? = try ranks.agreeing {
            guard ranks.isRoot else { return nil }
            for move in plan.moves {
                guard rename(move.from, move.to) == 0 else {
                    throw CommandFailure("cannot reopen \(move.from): \(String(cString: strerror(errno)))")
                }
            }
            let directory = try RunDirectory(resuming: dir, runFiles: Set(plan.metadata.files))
            try directory.start(metadata: metadata)
            return directory
        }
        let started = Date()
        let outcome: RunOutcome
        do {
            outcome = try SpikingRun(spec: plan.spec, directory: directory,
                                     formats: Set(header.recorders.formats.compactMap(OutputFormat.init(rawValue:))),
                                     quiet: quiet || !ranks.isRoot, kernelPath: .automatic, threads: threads,
                                     networkSHA256: plan.sha, checkpointEvery: checkpointEvery,
                                     stopAfterWindow: stopAfterWindow, resume: plan.loaded, ranks: ranks).execute()
        } catch {
            if let directory {
                metadata.wallTimeSeconds = previousWall + Date().timeIntervalSince(started)
                metadata.stopReason = "error: \(error)"
                try? directory.finish(metadata: metadata)
            }
            throw error
        }
        guard let directory else { return }
        try outcome.finish(&metadata, spec: plan.spec, started: started, directory: directory, path: dir, quiet: quiet,
                           previousWall: previousWall,
                           wrote: "resumed \(dir) from \(plan.chosen) at \(TimeOption.trim(header.timeMs)) ms on \(ranks.count) ranks; wrote it")
    }
}
