// `mpirun -np R vesicle run FILE --threads T` (docs/DESIGN.md, Ranks; issue 16): every rank compiles
// and builds the network, walks its own T of the R T partitions, and exchanges each window's spikes;
// rank 0 alone writes the run directory, with the one-process writers, so every file is byte for byte
// the one-process run's. Every step that can fail on one rank (memory check, run directory, build,
// refusal) is followed by an agreement, so a failure on any rank stops all with one message from
// rank 0 naming the rank, and no rank is left waiting in a collective.

import ArgumentParser
import Foundation
import VesicleDSL
import VesicleEngine
import VesicleIO
import VesicleModel
#if VESICLE_MPI
import VesicleMPI
#endif

/// The ranks of a run launched by mpirun with more than one.
final class RankGroup {
    let exchange: any SpikeExchange
    var rank: Int { exchange.rank }
    var count: Int { exchange.rankCount }
    var isRoot: Bool { rank == 0 }
    /// The lowest failing rank and its message, once every rank has agreed on it inside the build
    /// (`uniteDelaySteps`); the next `agree` then throws it without another collective.
    var agreedFailure: (rank: Int, message: String)?
    #if VESICLE_MPI
    let world: MPIWorld
    init(world: MPIWorld) {
        self.world = world
        exchange = world
    }
    #else
    /// Never made in a build without MPI (`start` refuses several ranks there).
    private init(exchange: any SpikeExchange) { self.exchange = exchange }
    #endif

    /// The launcher's rank count from its environment (nil: no launcher).
    static var launchedSize: Int? {
        for name in ["OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"] {
            if let value = ProcessInfo.processInfo.environment[name], let n = Int(value) { return n }
        }
        return nil
    }

    static var launchedRank: Int {
        for name in ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"] {
            if let value = ProcessInfo.processInfo.environment[name], let n = Int(value) { return n }
        }
        return 0
    }

    /// The ranks when launched with more than one; nil without a launcher or with one rank, where
    /// MPI is never initialised and the run is the plain one-process run.
    static func start() throws -> RankGroup? {
        guard let size = launchedSize, size > 1 else { return nil }
        #if VESICLE_MPI
        return RankGroup(world: MPIWorld())
        #else
        // Every rank would run the whole network alone and all would write the same directory.
        if launchedRank != 0 { throw ExitCode(0) }  // rank 0 alone reports, and mpirun waits for it
        throw CommandFailure("launched by mpirun as \(size) ranks, but this vesicle was built without MPI (VESICLE_WITHOUT_MPI was set when it was built); rebuild it without that variable, with Open MPI installed (Tools/install-deps), or run it without mpirun")
        #endif
    }

    /// Every rank reports its step's failure (nil: none); if any rank failed, every rank throws:
    /// rank 0 the message naming the lowest failing rank, the others a silent exit.
    func agree(_ failure: String?) throws {
        if let (r, message) = agreedFailure {
            if isRoot { throw CommandFailure("rank \(r) of \(count): \(message)") }
            throw RankStop()
        }
        #if VESICLE_MPI
        guard let (r, message) = world.agree(failure: failure) else { return }
        if isRoot { throw CommandFailure("rank \(r) of \(count): \(message)") }
        throw RankStop()
        #endif
    }

    /// Every rank's choice of kernel convolution paths must be rank 0's: `automatic` times the
    /// machine in each process, and ranks that chose differently would differ in rounding
    /// (`KernelConvolutionPath`). A difference stops every rank with one message.
    func agreeOnKernelPaths(_ paths: [String: String]) throws {
        #if VESICLE_MPI
        let mine = paths.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let all = world.gather(mine)
        if let r = all.firstIndex(where: { $0 != all[0] }) {
            if isRoot {
                throw CommandFailure("rank \(r) chose kernel convolution paths \(all[r]), rank 0 \(all[0]) (--kernel-path automatic times each process); pass --kernel-path \(paths.values.first ?? "direct") to run on ranks")
            }
            throw RankStop()
        }
        #endif
    }

    /// Runs `body`, then agrees on its failure.
    func agreeing<T>(_ body: () throws -> T) throws -> T {
        let result = Result { try body() }
        switch result {
        case .success: try agree(nil)
        case .failure(let error): try agree("\(error)")
        }
        return try result.get()
    }

    func finish() {
        #if VESICLE_MPI
        world.finalize()
        #endif
    }
}

/// A rank other than 0 stopping because the ranks agreed to; rank 0 says why.
struct RankStop: Error {}

extension RunCommand {
    /// `run` on ranks. Only rank 0 prints and writes; MPI is finalised before the process exits
    /// (every rank reaches it), and rank 0 prints its error before that, since mpirun may end the
    /// job as soon as a rank has exited.
    func runOnRanks(_ ranks: RankGroup) throws {
        do {
            try runRanked(ranks)
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

    private func runRanked(_ ranks: RankGroup) throws {
        let stop = StopSignal()
        defer { stop.uninstall() }
        let (compiled, diagnostics) = NetworkLanguage.compile(fileAt: file)
        let sourceData = FileManager.default.contents(atPath: file) ?? Data()
        if ranks.isRoot {
            let source = String(decoding: sourceData, as: UTF8.self)
            for diagnostic in diagnostics {
                FileHandle.standardError.write(Data(diagnostic.rendered(source: source).utf8))
            }
        }
        // Every rank compiles the same text: all fail or none.
        guard var spec = compiled else { throw ranks.isRoot ? ExitCode(1) : ExitCode(0) }
        if let seed { spec.simulation.seed = seed }
        if let duration { spec.simulation.duration = duration.milliseconds }
        try ranks.agreeing {
            if let fault = Self.injectedFault(rank: ranks.rank) { throw CommandFailure(fault) }
            if SynapticFilterRun.applies(to: spec) || !spec.feedbacks.isEmpty {
                throw CommandFailure("synaptic-filter and feedback experiments run in one process; run this file without mpirun")
            }
            // Ranks on one machine share its memory (Open MPI says how many run here).
            let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap { Int($0) } ?? 1
            try memory.check(spec, copies: max(local, 1), ranks: ranks.count)
        }
        let directoryPath = out ?? spec.simulation.outputDirectory
            ?? "runs/" + URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var metadata = RunMetadata(
            vesicleVersion: VesicleVersion.current, networkFile: file,
            networkSHA256: SHA256.hex(of: SHA256.hash([UInt8](sourceData))), seed: spec.simulation.seed,
            durationMs: spec.simulation.duration, simulatedTimeMs: 0, wallTimeSeconds: 0, completed: false)
        metadata.warmupMs = spec.simulation.warmup
        metadata.ranks = ranks.count
        metadata.threads = threads
        metadata.checkpointEvery = checkpointEvery?.text
        let directory: RunDirectory? = try ranks.agreeing {
            guard ranks.isRoot else { return nil }
            let directory: RunDirectory
            do { directory = try RunDirectory(path: directoryPath, force: force) } catch { throw CommandFailure("\(error)") }
            try directory.start(metadata: metadata)
            return directory
        }
        let started = Date()
        let outcome: RunOutcome
        do {
            outcome = try SpikingRun(spec: spec, directory: directory, formats: formats, quiet: quiet || !ranks.isRoot,
                                     kernelPath: KernelConvolutionPath(rawValue: kernelPath) ?? .automatic,
                                     threads: threads, networkSHA256: metadata.networkSHA256 ?? "",
                                     checkpointEvery: checkpointEvery, stopAfterWindow: stopAfterWindow, ranks: ranks).execute()
        } catch {
            if let directory {
                metadata.wallTimeSeconds = Date().timeIntervalSince(started)
                metadata.stopReason = "error: \(error)"
                try? directory.finish(metadata: metadata)
            }
            throw error
        }
        guard let directory else { return }
        try outcome.finish(&metadata, spec: spec, started: started, directory: directory, path: directoryPath, quiet: quiet)
    }

    /// A fault injected for the tests of a failing rank (Tests/MPITests): VESICLE_FAIL_RANK=r makes
    /// rank r fail its memory check as a refused allocation would; nothing else reads it.
    static func injectedFault(rank: Int) -> String? {
        guard let value = ProcessInfo.processInfo.environment["VESICLE_FAIL_RANK"], Int(value) == rank else { return nil }
        return "allocation refused (injected by VESICLE_FAIL_RANK=\(rank))"
    }
}
