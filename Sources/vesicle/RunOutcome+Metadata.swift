// What every finished run writes into metadata.json and prints, whichever path ran it (one
// process, or rank 0 of several): one place, so the paths cannot drift apart.

import ArgumentParser
import Foundation
import VesicleIO
import VesicleModel

extension RunOutcome {
    /// Records the outcome in `metadata`, finishes the run directory, prints the summary and the
    /// "wrote" line, and exits with the signal's status when the run stopped early.
    /// A resumed run adds its wall time to `previousWall` and keeps the larger peak resident set
    /// (`vesicle resume`); `wrote` is the line's start ("wrote PATH" by default).
    func finish(_ metadata: inout RunMetadata, spec: NetworkSpec, started: Date, directory: RunDirectory,
                path: String, quiet: Bool, previousWall: Double = 0, wrote: String? = nil) throws {
        let previousPeak = metadata.peakResidentBytes
        metadata.wallTimeSeconds = previousWall + Date().timeIntervalSince(started)
        metadata.simulatedTimeMs = simulatedTime
        metadata.completed = stopReason == nil
        metadata.stopReason = stopReason
        metadata.populations = populations
        metadata.releases = releases
        metadata.releaseAmplitudeUnit = releases > 0 ? spec.releaseAmplitudeUnit : nil
        metadata.kernelPaths = kernelPaths
        metadata.peakResidentBytes = [previousPeak, peakResidentBytes()].compactMap { $0 }.max()
        metadata.estimatedPeakBytes = Int(min(MemoryEstimate(spec: spec).peakBytes, 9e18))
        try directory.finish(metadata: metadata)
        if !quiet { for line in summary { print(line) } }
        print("\(wrote ?? "wrote \(path)") (\(metadata.completed ? "complete" : "partial: \(stopReason ?? "")"))")
        if !metadata.completed { throw ExitCode(StopSignal.exitStatus ?? 130) }
    }
}
