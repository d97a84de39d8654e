import ArgumentParser
import Foundation
import VesicleEngine
import VesicleRandom

/// Measures the three event queues on the scheduler's access pattern: each window pushes the
/// window's spikes (arrival = spike time + delay) and pops everything before the next window end.
struct BenchQueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Compare binary heap, swift-collections Heap and calendar queue.")

    @Option(parsing: .unconditional, help: "Spikes per window, 1 to 10^6 (Brunel C at N = 12 500: about 700).")
    var spikesPerWindow: Int = 700

    @Option(parsing: .unconditional, help: "Number of windows, 1 to 10^7.")
    var windows: Int = 20_000

    @Option(name: .customLong("window"), parsing: .unconditional, help: "Window (minimum delay), with its unit: 1.5ms.",
            transform: TimeOption.parse)
    var windowTime = TimeOption(milliseconds: 1.5, text: "1.5ms", bare: false)

    var window: Double { windowTime.milliseconds }

    // Ranges, so that a negative count is a message, not a trap in an allocation (issue 15), and
    // the product stays an allocation the machine can make (at most 10^9 spike times).
    func validate() throws {
        guard (1...1_000_000).contains(spikesPerWindow) else {
            throw ValidationError("--spikes-per-window \(spikesPerWindow) is out of range: give 1 to 1000000")
        }
        guard (1...10_000_000).contains(windows) else {
            throw ValidationError("--windows \(windows) is out of range: give 1 to 10000000")
        }
        guard windows * spikesPerWindow <= 1_000_000_000 else {
            throw ValidationError("--windows \(windows) times --spikes-per-window \(spikesPerWindow) is more than 10^9 spikes; lower one of them")
        }
        try windowTime.validate(flag: "--window", maximum: 1000)
    }

    func run() throws {
        print(BenchmarkMachine.summary)
        var json = JSONLine()
        json.add("benchmark", "queue")
        var baseline = 0.0
        for kind in EventQueueKind.allCases {
            var queue: any EventQueue
            switch kind {
            case .binaryHeap: queue = BinaryHeapQueue()
            case .collectionsHeap: queue = CollectionsHeapQueue()
            case .calendar: queue = CalendarQueue(origin: 0, width: window)
            }
            // Spike times are drawn before timing, so only the queue is measured.
            var rng = RandomStream(seed: 1, purpose: .connectivity)
            let offsets = (0..<(windows * spikesPerWindow)).map { _ in rng.uniform() * window }
            var out: [SpikeDelivery] = []
            var checksum = 0.0
            let clock = ContinuousClock()
            let cost = clock.measure {
                for w in 0..<windows {
                    let start = Double(w) * window
                    for s in 0..<spikesPerWindow {
                        let t = start + offsets[w * spikesPerWindow + s]
                        queue.push(SpikeDelivery(time: t + window, source: UInt32(s), delayClass: 0))
                    }
                    out.removeAll(keepingCapacity: true)
                    queue.popAll(before: start + window, into: &out)
                    if let first = out.first { checksum += first.time }
                }
            }
            let seconds = BenchmarkMachine.seconds(cost)
            let perOperation = seconds / Double(windows * spikesPerWindow) * 1e9
            if kind == .binaryHeap { baseline = seconds }
            print(String(format: "%-17@ %.3f s, %.1f ns per push+pop, %.2fx binary heap (checksum %.0f)",
                         kind.rawValue as NSString, seconds, perOperation, seconds / baseline, checksum))
            json.add("\(kind.rawValue)_ns_per_event", perOperation)
        }
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        print(json.text)
    }
}
