import ArgumentParser
import Foundation
import VesicleRandom
import VesicleSynapses

/// The log-normal release loop alone (docs/MODEL.md §3): rows that share one posterior, as in the Bayesian
/// Brunel network, released by each kernel this CPU has, in the same process. The kernels give the
/// same bits (checked here on every row), so only their speed differs.
struct BenchReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Log-normal releases per second of each release kernel (portable Swift, AVX2, AVX-512).")

    @Option(parsing: .unconditional, help: "Synapses per row (the Brunel network's rows hold about 1 250).")
    var rowLength: Int = 1_250

    @Option(parsing: .unconditional, help: "Rows released per round.")
    var rows: Int = 2_000

    @Option(parsing: .unconditional, help: "Rounds; the kernels take turns, one round each, and each reports its fastest round.")
    var rounds: Int = 15

    func validate() throws {
        guard rowLength >= 1, rows >= 1, rounds >= 1 else { throw ValidationError("--row-length, --rows and --rounds must be at least 1") }
    }

    func run() throws {
        print(BenchmarkMachine.summary)
        // The Bayesian Brunel network's excitatory synapses (`ReferenceNetworks.brunelBayesian`): mean
        // release 0.1 mV, prior variance 0.07448, tau 10^6 ms; released 12 ms after the row's last update.
        let variance = 0.07448, mean = log(0.1) - variance / 2
        let prior = try OrnsteinUhlenbeckPrior(mean: mean, variance: variance, tau: 1_000_000)
        let table = try CompactBayesianSynapseTable(
            rowOffsets: [0, rowLength], prior: prior, link: .log, release: .posterior,
            initialMean: Array(repeating: mean, count: rowLength), initialVariance: variance)
        let kernels = ReleaseKernel.available
        let out = UnsafeMutablePointer<Double>.allocate(capacity: rowLength * kernels.count)
        defer { out.deallocate() }
        var lanes = kernels.map { _ in RandomLanes(seed: 1, purpose: .release) }
        var best = Array(repeating: Double.infinity, count: kernels.count)
        var identical = true
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            for (i, kernel) in kernels.enumerated() {
                let row = out + i * rowLength
                let cost = clock.measure {
                    for _ in 0..<rows {
                        table.releaseRow(0, range: 0..<rowLength, at: 12, sign: 1, lanes: &lanes[i], into: row, kernel: kernel)
                    }
                }
                best[i] = min(best[i], BenchmarkMachine.seconds(cost))
            }
            // Every kernel has drawn the same rows from the same lanes: the last ones must agree.
            for i in kernels.indices.dropFirst() where memcmp(out, out + i * rowLength, rowLength * 8) != 0 {
                identical = false
            }
        }
        let releases = Double(rows * rowLength)
        var json = JSONLine()
        json.add("benchmark", "release")
        json.add("row_length", rowLength)
        for (i, kernel) in kernels.enumerated() {
            let ns = best[i] / releases * 1e9
            print(String(format: "%-9@ %.2f ns per release, %.3g releases per s, %.2fx the portable loop",
                         kernel.description as NSString, ns, releases / best[i], best[0] / best[i]))
            json.add("\(kernel)_ns_per_release", ns)
        }
        print("kernels' releases \(identical ? "identical" : "DIFFERENT") bit for bit; selected: \(ReleaseKernel.selected)")
        json.add("identical", identical ? 1 : 0)
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        print(json.text)
        if !identical { throw ExitCode.failure }
    }
}
