import Glibc
import Synchronization

/// Set from the signal handler; an atomic store is async-signal-safe, which a lock is not.
private let stopRequested = Atomic<Int32>(0)

/// The first signal asks for a clean stop; a second one means the user will not wait, so the
/// process exits at once (`_exit` is async-signal-safe). Files still being written keep their
/// `.partial` names, so nothing incomplete looks complete.
private func recordStopSignal(_ signal: Int32) {
    let (exchanged, _) = stopRequested.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent)
    if !exchanged { _exit(128 + signal) }
}

/// Turns SIGINT and SIGTERM into a flag the run loop polls, so a run stops at a clean point
/// (between events), flushes its recorders and marks its metadata partial instead of dying
/// mid-write; a second signal exits immediately. While installed, the default "terminate" action is replaced; `uninstall` restores
/// the previous handlers.
public final class StopSignal: @unchecked Sendable {
    private var previous: [Int32: sigaction] = [:]
    public let signals: [Int32]

    /// Installs the handlers and clears any earlier request.
    public init(signals: [Int32] = [SIGINT, SIGTERM]) {
        self.signals = signals
        stopRequested.store(0, ordering: .sequentiallyConsistent)
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

    /// Restores the handlers that were installed before.
    public func uninstall() {
        for (signal, old) in previous {
            var old = old
            sigaction(signal, &old, nil)
        }
        previous.removeAll()
    }
}
