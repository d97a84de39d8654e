import ArgumentParser
import Foundation
import VesicleRandom

/// Nanoseconds per draw of the counter-based generators (Philox4x32-10 keyed streams, Threefry4x32-20
/// blocks) against the engine's current xoshiro256** `RandomStream`, in one process, alternating
/// chunks (issue 13 item 3).
struct BenchRandomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "random", abstract: "ns per draw: counter-based Philox/Threefry streams against xoshiro256**.")

    @Option(parsing: .unconditional, help: "Draws per chunk.")
    var draws: Int = 2_000_000

    @Option(parsing: .unconditional, help: "Rounds (each contestant runs one chunk per round, in turn).")
    var rounds: Int = 7

    func validate() throws {
        guard draws > 0, rounds > 0 else { throw ValidationError("--draws and --rounds must be > 0") }
    }

    struct Contestant {
        let name: String
        let run: (Int) -> Double
    }

    func run() throws {
        print(BenchmarkMachine.summary)
        print("command: vesicle bench random --draws \(draws) --rounds \(rounds)")
        let key = CounterKey(seed: 1, purpose: .release, entity: 2, index: 3)
        let contestants: [Contestant] = [
            Contestant(name: "xoshiro_uniform") { n in
                var g = RandomStream(seed: 1, purpose: .release); var sum = 0.0
                for _ in 0..<n { sum += g.uniform() }
                return sum
            },
            Contestant(name: "philox_stream_uniform") { n in
                var g = key.stream(event: 0); var sum = 0.0
                for _ in 0..<n { sum += g.uniform() }
                return sum
            },
            Contestant(name: "philox_per_event_uniform") { n in
                var sum = 0.0
                for e in 0..<n { sum += key.uniforms(event: UInt32(truncatingIfNeeded: e)).0 }
                return sum
            },
            Contestant(name: "philox_per_event_uniform_pair") { n in
                var sum = 0.0
                for e in 0..<(n / 2) { let (a, b) = key.uniforms(event: UInt32(truncatingIfNeeded: e)); sum += a + b }
                return sum
            },
            Contestant(name: "threefry_per_event_uniform") { n in
                var sum = 0.0
                for e in 0..<n {
                    let b = Threefry4x32.block(counter: (0, UInt32(truncatingIfNeeded: e), 3, 2), key: (1, 0, 5, 0))
                    sum += Double((UInt64(b.0) << 32 | UInt64(b.1)) >> 11) * 0x1.0p-53
                }
                return sum
            },
            Contestant(name: "xoshiro_normal") { n in
                var g = RandomStream(seed: 1, purpose: .release); var sum = 0.0
                for _ in 0..<n { sum += g.normal() }
                return sum
            },
            Contestant(name: "philox_stream_normal") { n in
                var g = key.stream(event: 0); var sum = 0.0
                for _ in 0..<n { sum += g.normal() }
                return sum
            },
            Contestant(name: "philox_per_event_normal") { n in
                var sum = 0.0
                for e in 0..<n { var g = key.stream(event: UInt32(truncatingIfNeeded: e)); sum += g.normal() }
                return sum
            },
            Contestant(name: "xoshiro_exponential") { n in
                var g = RandomStream(seed: 1, purpose: .release); var sum = 0.0
                for _ in 0..<n { sum += g.exponential() }
                return sum
            },
            Contestant(name: "philox_per_event_exponential") { n in
                var sum = 0.0
                for e in 0..<n { var g = key.stream(event: UInt32(truncatingIfNeeded: e)); sum += g.exponential() }
                return sum
            },
        ]
        var times = [[Double]](repeating: [], count: contestants.count)
        var checksum = 0.0
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            for (i, c) in contestants.enumerated() {
                var sum = 0.0
                let cost = clock.measure { sum = c.run(draws) }
                checksum += sum
                times[i].append(BenchmarkMachine.seconds(cost) / Double(draws) * 1e9)
            }
        }
        var json = JSONLine()
        json.add("benchmark", "random")
        json.add("draws_per_chunk", draws)
        json.add("rounds", rounds)
        let median = times.map { $0.sorted()[$0.count / 2] }
        let reference = ["uniform": median[0], "normal": median[5], "exponential": median[8]]
        for (i, c) in contestants.enumerated() {
            let kind = c.name.hasSuffix("normal") ? "normal" : c.name.hasSuffix("exponential") ? "exponential" : "uniform"
            let ratio = median[i] / reference[kind]!
            print(String(format: "%-32@ %6.2f ns per draw (median of %d), %.2fx xoshiro %@",
                         c.name as NSString, median[i], rounds, ratio, kind as NSString))
            json.add("\(c.name)_ns", median[i])
        }
        print(String(format: "checksum %.6e", checksum))
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        print(json.text)
    }
}
