import Foundation
import XCTest
import VesicleDSL
import VesicleEngine
import VesicleModel

/// `record membrane … every Δ` samples at exactly k·Δ for every k with warm-up ≤ k·Δ < end, in
/// every window, once (issue 20 item 5: 9 998 of 10 000 samples per neuron were kept at Δ = 0.1 ms,
/// those where windows met, e.g. 0.3 ms and 19.2 ms, were lost).
final class MembraneSamplingTests: XCTestCase {
    private func samples(_ source: String) throws -> [(population: Int, neuron: Int, time: Double, potential: Double)] {
        let (compiled, diagnostics) = NetworkLanguage.compile(source: source, path: "sampling.vsl")
        XCTAssertTrue(diagnostics.allSatisfy { $0.severity != .error }, "\(diagnostics)")
        let network = try NetworkBuilder.build(try XCTUnwrap(compiled))
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        Simulator(network: network).run(observer: collector)
        return collector.samples
    }

    /// Windows of 0.1 ms (the delay) end at accumulated sums such as 0.30000000000000004; every
    /// one of the 10 000 sample times per neuron must still be there, exactly Double(k) * 0.1.
    func testEverySampleTimeIsAnExactMultipleAndNoneIsDropped() throws {
        let recorded = try samples("""
        population E = 20 lif_delta(I_e = 400 pA)
        connect E -> E fixed_indegree(2) weight 0.1 mV delay 0.1 ms
        record membrane E[0:3] every 0.1 ms
        simulate 1000 ms seed 1
        """)
        let expected = (0..<10_000).map { Double($0) * 0.1 }
        for neuron in 0..<3 {
            let times = recorded.filter { $0.neuron == neuron }.map(\.time)
            XCTAssertEqual(times.count, 10_000, "neuron \(neuron)")
            XCTAssertEqual(times, expected, "neuron \(neuron): exact multiples k * 0.1 ms, in order, no repeats")
        }
        XCTAssertEqual(recorded.count, 30_000)
    }

    /// With a warm-up of 19.25 ms and windows of 1.5 ms, samples start at the first multiple after
    /// the warm-up (19.3 ms) and run to the last before 19.25 + 30 ms: k = 193 ..< 493.
    func testSamplesAfterAWarmUpWithLongWindows() throws {
        let recorded = try samples("""
        population E = 10 lif_delta(I_e = 400 pA)
        connect E -> E fixed_indegree(2) weight 0.1 mV delay 1.5 ms
        record membrane E[0:1] every 0.1 ms
        simulate 30 ms warmup 19.25 ms seed 2
        """)
        XCTAssertEqual(recorded.map(\.time), (193..<493).map { Double($0) * 0.1 })
    }
}
