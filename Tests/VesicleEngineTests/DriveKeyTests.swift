import Foundation
import XCTest
@testable import VesicleEngine
import VesicleModel

/// Poisson drives and Poisson sources keyed by counters (issue 13 item 3; docs/DESIGN.md, Randomness):
/// neuron i's train depends on (seed, input, i) and nothing else, so a network that drives only a
/// part of a population gives that part the same arrivals as the network that drives it whole.
final class DriveKeyTests: XCTestCase {
    func network(_ targets: [PopulationSlice], sourceSize: Int = 0, seed: UInt64 = 11) throws -> Network {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 100, seed: seed))
        spec.populations = [PopulationSpec(name: "A", size: 50, model: .lifDelta(TestNetworks.lif()))]
        if sourceSize > 0 {
            spec.populations.append(PopulationSpec(name: "S", size: sourceSize,
                                                   model: .poissonSource(rate: .constant(40), refractoryPeriod: 0)))
        }
        spec.inputs = [InputSpec(name: "drive", kind: .poisson(rate: 8000), targets: targets, weight: 0.1, delay: 0.1)]
        return try NetworkBuilder.build(spec)
    }

    struct NotLIFDelta: Error {}

    /// Population A's drive table (a whole build: the table's numbering is the population's).
    func table(_ network: Network) throws -> PoissonDriveTable {
        guard case .neurons(let group) = network.dynamics[0], let lif = group as? LIFDeltaPopulation else {
            throw NotLIFDelta()
        }
        return lif.drives.table
    }

    /// The first 3000 arrival times of neurons 20..<30 (about 3 blocks each), drawn through the
    /// table: exactly equal (same bits) whether the input drives all of A or only A[20..<30], or
    /// A[20..<30] and A[0..<5] as two targets. A different seed changes them (not vacuous).
    func testPartOfAPopulationGetsTheWholeDrivesArrivals() throws {
        func arrivals(_ network: Network) throws -> [[Double]] {
            let t = try table(network)
            return (20..<30).map { j in
                var times = [t.earliest(of: j)]
                for _ in 0..<3000 { times.append(t.consume(of: j).next) }
                return times
            }
        }
        let whole = try arrivals(network([PopulationSlice(population: "A")]))
        let part = try arrivals(network([PopulationSlice(population: "A", range: 20..<30)]))
        let split = try arrivals(network([PopulationSlice(population: "A", range: 0..<5),
                                          PopulationSlice(population: "A", range: 20..<30)]))
        XCTAssertEqual(whole, part)
        XCTAssertEqual(whole, split)
        XCTAssertTrue(whole.allSatisfy { $0.last! > 300 && $0.last!.isFinite }, "3000 arrivals at 8 kHz span ~375 ms")
        let other = try arrivals(network([PopulationSlice(population: "A")], seed: 12))
        XCTAssertNotEqual(whole[0][1], other[0][1])
    }

    /// A Poisson source's neuron j spikes at the same times whatever the population's size: its stream
    /// is keyed (seed, poissonSource, p, j). Sources of 10 and of 40 neurons, first 10 neurons' spikes
    /// over 1 s, exactly equal; and the count matches 40 Hz (10 trains x 1 s, 5 sd of Poisson).
    func testPoissonSourceNeuronDoesNotDependOnThePopulationSize() throws {
        func spikes(_ size: Int) throws -> [[Double]] {
            let n = try network([PopulationSlice(population: "A")], sourceSize: size)
            guard case .source(let source) = n.dynamics[1] else { throw XCTSkip("no source population") }
            let out = WindowSpikes()
            source.emit(before: 1000, into: out)
            var trains = [[Double]](repeating: [], count: 10)
            for k in 0..<out.count {
                let j = Int(out.neurons[k] - source.offset)
                if j < 10 { trains[j].append(out.times[k]) }
            }
            return trains.map { $0.sorted() }
        }
        let small = try spikes(10), large = try spikes(40)
        XCTAssertEqual(small, large)
        let count = Double(small.reduce(0) { $0 + $1.count })
        XCTAssertEqual(count, 400, accuracy: 5 * 400.0.squareRoot())
    }
}
