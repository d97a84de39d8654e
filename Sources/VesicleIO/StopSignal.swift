import Glibc
import Synchronization

/// Set from the signal handler; an atomic store is async-signal-safe, which a lock is not.
private let stopRequested = Atomic<Int32>(0)
/// Signals received since the handlers were installed.
private let signalsReceived = Atomic<Int32>(0)

/// The first signal asks for a clean stop. A second one (`timeout` signals the process and then
/// its group; an impatient user presses ^C twice) does not abandon it: the recordings are still
/// finished under their final names with the metadata marked partial. Only a third signal exits at
/// once (`_exit` is async-signal-safe); the files then being written keep their `.partial` names,
/// so nothing incomplete looks complete. SIGKILL is the other hard stop.
private func recordStopSignal(_ signal: Int32) {
    _ = stopRequested.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent)
    let (_, received) = signalsReceived.wrappingAdd(1, ordering: .sequentiallyConsistent)
    if received >= StopSignal.hardStopCount {
        _exit(128 + stopRequested.load(ordering: .sequentiallyConsistent))
    }
}

/// Turns SIGINT and SIGTERM into a flag the run loop polls, so a run stops at a clean point
/// (between events), flushes its recorders and marks its metadata partial instead of dying
/// mid-write; a second signal is absorbed and a third exits immediately. While installed, the default "terminate" action is replaced; `uninstall` restores
/// the previous handlers.
public final class StopSignal: @unchecked Sendable {
    private var previous: [Int32: sigaction] = [:]
    public let signals: [Int32]
    /// The signal count that abandons the clean stop (docs: the first stops cleanly, the second is
    /// absorbed, the third exits with 128 + the first signal's number).
    public static let hardStopCount: Int32 = 3
    /// Installations not yet uninstalled (main thread only).
    nonisolated(unsafe) private static var depth = 0
    private var installed = false

    /// Installs the handlers and clears any earlier request.
    public init(signals: [Int32] = [SIGINT, SIGTERM]) {
        self.signals = signals
        // A nested installation (the run inside `vesicle run`, which keeps the handlers until the
        // metadata is written) keeps a request that arrived before it.
        if Self.depth == 0 {
            stopRequested.store(0, ordering: .sequentiallyConsistent)
            signalsReceived.store(0, ordering: .sequentiallyConsistent)
        }
        Self.depth += 1
        installed = true
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = recordStopSignal
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
    }

    deinit { uninstall() }

    /// True once one of the signals has arrived.
    public var shouldStop: Bool { stopRequested.load(ordering: .relaxed) != 0 }

    /// The signal that asked to stop ("SIGINT", "SIGTERM"), nil if none did.
    public var reason: String? {
        switch stopRequested.load(ordering: .sequentiallyConsistent) {
        case 0: return nil
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case let other: return "signal \(other)"
        }
    }

    /// The exit status of a run stopped by the signal (128 + its number: SIGINT 130, SIGTERM
    /// 143, as shells report them), nil if none arrived. Readable after `uninstall`.
    public static var exitStatus: Int32? {
        let signal = stopRequested.load(ordering: .sequentiallyConsistent)
        return signal == 0 ? nil : 128 + signal
    }

    /// Restores the handlers that were installed before.
    public func uninstall() {
        if installed {
            installed = false
            Self.depth -= 1
        }
        for (signal, old) in previous {
            var old = old
            sigaction(signal, &old, nil)
        }
        previous.removeAll()
    }
}
