// Notices and warnings on standard error, once per run (issue 16 item 4): under mpirun every rank
// parses the same command line and checks the same network, so every rank would print the same
// note; rank 0 alone prints it. A plain run is rank 0.

import ArgumentParser
import Foundation

enum Notice {
    /// Writes `line` (a newline is added) to standard error, on rank 0 only.
    /// - Complexity: O(line).
    static func write(_ line: String) {
        guard RankGroup.launchedRank == 0 else { return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Under mpirun with several ranks, on a rank other than 0: parses the command line as `main`
    /// would and runs it, but a parse or validation error, the same on every rank, ends this rank
    /// with its exit code silently (rank 0 prints it). Errors of the run itself are printed as usual.
    /// Returns false on rank 0 and without a launcher (then the caller runs `main` itself).
    static func runQuietlyOffRoot<Command: ParsableCommand>(_: Command.Type) -> Bool {
        guard (RankGroup.launchedSize ?? 1) > 1, RankGroup.launchedRank != 0 else { return false }
        var command: ParsableCommand
        do {
            command = try Command.parseAsRoot(nil)
        } catch {
            Foundation.exit(Command.exitCode(for: error).rawValue)
        }
        do {
            try command.run()
        } catch {
            Command.exit(withError: error)
        }
        Foundation.exit(0)
    }
}
