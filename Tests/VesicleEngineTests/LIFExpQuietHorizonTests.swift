import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// A lif_exp neuron with no input is left untouched at window ends while its quiet horizon (no
/// crossing possible, `LIFExpPopulation.advance`) lasts: the drift crossings it then makes must be
/// the closed form's, however many windows were skipped.
final class LIFExpQuietHorizonTests: XCTestCase {
    /// V_inf = E_L + tau_m I/C = 16 mV above theta = 15 mV: from V = 0 the neuron fires at
    /// t* = tau_m ln(V_inf/(V_inf - theta)) = 10 ln 16 ms, then every t_ref + t* (reset 0). A spike
    /// source with delay 0.1 ms makes the windows 0.1 ms long (about 300 per interspike interval),
    /// and its one spike at 400 ms (a 1 pA input) comes after the checked range. Spike times to 1e-9 ms.
    func testDriftCrossingsAcrossSkippedWindows() throws {
        let p = TestNetworks.lif(tauM: 10, capacitance: 250, rest: 0, threshold: 15, reset: 0, refractory: 2, bias: 400)
        var spec = TestNetworks.driven(target: .lifExp(p), inputs: [([400], 1, 0.1)], duration: 390)
        spec.populations[0].initialPotential = .constant(0)
        let spikes = try TestNetworks.run(spec).1.times[0][0]
        let crossing = 10 * log(16.0)
        let expected = (0..<Int(390 / (crossing + 2)) + 1).map { Double($0) * (crossing + 2) + crossing }.filter { $0 < 390 }
        XCTAssertEqual(spikes.count, expected.count)
        for (s, e) in zip(spikes, expected) { XCTAssertEqual(s, e, accuracy: 1e-9) }
    }
}
