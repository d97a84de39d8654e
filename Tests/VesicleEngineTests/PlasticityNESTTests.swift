import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// Vesicle's STDP and Tsodyks-Markram synapses against NEST 3.10.0 on grid-aligned spike times,
/// where the two must agree. The reference numbers were produced by `Tools/nest_plasticity_reference.py`
/// (nest-simulator 3.10.0 from PyPI, resolution 0.1 ms, parrot neurons driven by spike generators,
/// weight_recorder) and are pinned here: the weight each presynaptic spike transmitted. Tolerance 1e-9
/// (NEST's grid times and ours differ by rounding, ~1e-15 ms).
final class PlasticityNESTTests: XCTestCase {
    /// NEST: stdp_synapse, multiplicative, all-to-all, tau_minus 33.7, w0 5, delay 1.5
    static let multiplicative = (pre: [10.3, 14.5, 27.9, 39.3, 43.7, 53.2, 61.0, 67.6, 69.1, 71.9, 72.4, 82.9, 87.6, 94.9, 100.8, 102.3, 108.8, 110.1, 114.5, 117.1, 119.4, 121.1, 128.1, 129.9, 142.5, 171.2, 182.3, 188.2, 232.6, 240.0, 250.6, 257.9, 260.5, 266.5, 269.1, 269.9, 287.7, 289.0, 289.5, 294.0] as [Double],
                      post: [29.2, 41.1, 55.0, 59.2, 75.2, 78.5, 87.2, 99.7, 128.2, 137.1, 149.2, 172.6, 183.5, 194.4, 220.7, 225.2, 245.7, 256.9, 274.8, 281.3, 290.5, 297.4] as [Double],
                      transmitted: [5, 5, 5, 5.1310158449186556, 4.9686901981758229, 4.5981151022995022, 4.5640107240070185, 3.9218499986015942, 3.3940645061296779, 2.9737225441636586, 2.6108621550826556, 3.9559317313285582, 3.2872629525452322, 3.6239348589482545, 3.05805937756304, 3.3351454958955284, 2.7647062656507613, 2.3097282653803002, 1.9761489194814157, 1.711937530786324, 1.4981514127588749, 1.3202664381259923, 1.1929056889217806, 2.63128315877811, 3.1934599044653837, 3.5315878149552726, 3.5034256344696715, 3.393941829958214, 3.4072947950776502, 2.9806742548523908, 2.88813798894508, 2.5493868861087146, 2.808313392124917, 2.4206154205641797, 2.1112531445604201, 1.8477582488389461, 3.1589589308363069, 2.6475635149763086, 2.2252687474836725, 2.9341112459180749] as [Double])

    /// NEST: stdp_synapse, additive, all-to-all, tau_minus 33.7, w0 5, delay 1.5
    static let additive = (pre: [10.3, 14.5, 27.9, 39.3, 43.7, 53.2, 61.0, 67.6, 69.1, 71.9, 72.4, 82.9, 87.6, 94.9, 100.8, 102.3, 108.8, 110.1, 114.5, 117.1, 119.4, 121.1, 128.1, 129.9, 142.5, 171.2, 182.3, 188.2, 232.6, 240.0, 250.6, 257.9, 260.5, 266.5, 269.1, 269.9, 287.7, 289.0, 289.5, 294.0] as [Double],
                      post: [29.2, 41.1, 55.0, 59.2, 75.2, 78.5, 87.2, 99.7, 128.2, 137.1, 149.2, 172.6, 183.5, 194.4, 220.7, 225.2, 245.7, 256.9, 274.8, 281.3, 290.5, 297.4] as [Double],
                      transmitted: [5, 5, 5, 7.4821065063091154, 5.5508806890388795, 2.1946884835846654, 2.2986953476143457, 0, 0, 0, 0, 1.2553177908535307, 0, 1.6288184610198331, 0, 0.60483511468897522, 0, 0, 0, 0, 0, 0, 0, 3.2007871750032812, 2.9168315174462922, 4.8576225983417238, 3.6313866759258562, 1.3957110765831948, 0.34370901988062474, 0, 0, 0, 0, 0, 0, 0, 2.4285586191378794, 0, 0, 1.175136543790154] as [Double])

    /// NEST: stdp_nn_symm_synapse, multiplicative, tau_minus 33.7, w0 5, delay 1.5 (no post spike before the first pre)
    static let nearest = (pre: [10.3, 14.5, 27.9, 39.3, 43.7, 53.2, 61.0, 67.6, 69.1, 71.9, 72.4, 82.9, 87.6, 94.9, 100.8, 102.3, 108.8, 110.1, 114.5, 117.1, 119.4, 121.1, 128.1, 129.9, 142.5, 171.2, 182.3, 188.2, 232.6, 240.0, 250.6, 257.9, 260.5, 266.5, 269.1, 269.9, 287.7, 289.0, 289.5, 294.0] as [Double],
                      post: [29.2, 41.1, 55.0, 59.2, 75.2, 78.5, 87.2, 99.7, 128.2, 137.1, 149.2, 172.6, 183.5, 194.4, 220.7, 225.2, 245.7, 256.9, 274.8, 281.3, 290.5, 297.4] as [Double],
                      transmitted: [5, 5, 5, 4.9693529246875183, 4.875438753669795, 4.6618580842483084, 4.744930522547147, 4.5129453223330209, 4.3019077032316932, 4.1167775840448471, 3.9422235628370172, 4.1217908316197676, 3.9244143436825767, 3.9988414191643971, 3.8312885746622256, 3.8924817453435718, 3.7060859752424418, 3.5353316321937807, 3.3923819182923278, 3.2653971964676307, 3.1512297016147652, 3.0464738029233089, 2.964195308266258, 3.0881519301572178, 3.1180099765205931, 3.220496640495341, 3.3408167404368081, 3.4265816512141232, 3.5216674196236535, 3.3792702126666132, 3.399924870289226, 3.2514240505690517, 3.3771936688240674, 3.2178547388979912, 3.077306319536552, 2.9460498864627134, 3.1715352782763597, 3.0132206950454266, 2.8650239112388038, 2.9930673104910981] as [Double])

    /// NEST: tsodyks2_synapse U 0.3 tau_rec 150 tau_fac 420, weight 2, delay 1.5
    static let tsodyksFacilitating = (pre: [5.0, 12.3, 13.1, 40.0, 41.7, 47.2, 200.0, 201.5, 203.9, 900.0] as [Double],
                      post: [] as [Double],
                      transmitted: [0.59999999999999998, 0.72336645853011905, 0.46551464969328554, 0.38970526081309292, 0.13386330724853809, 0.08807328697845021, 0.92085987358544574, 0.30304356562970591, 0.090889429652451587, 0.82084779184523537] as [Double])

    /// NEST: tsodyks2_synapse U 0.5 tau_rec 800 tau_fac 0 (defaults), weight 2, delay 1.5
    static let tsodyksDefaults = (pre: [5.0, 12.3, 13.1, 40.0, 41.7, 47.2, 200.0, 201.5, 203.9, 900.0] as [Double],
                      post: [] as [Double],
                      transmitted: [1, 0.50454174676614127, 0.25301822876971458, 0.15539193175731447, 0.079653781035830762, 0.046405440966848621, 0.19303593537392616, 0.098210409337670002, 0.05195361430406864, 0.59198247973101625] as [Double])

    /// NEST: offgrid: stdp_synapse additive, lambda 0.1, tau 20, delay 1, w0 5, parrot_neuron_ps
    static let offGrid = (pre: [11.03, 300.0] as [Double],
                      post: [20.0] as [Double],
                      transmitted: [5, 5.6095700331342009] as [Double])

    func stdp(lambda: Double, alpha: Double, mu: Double, pairing: STDPSynapseSpec.Pairing = .allToAll) -> STDPSynapseSpec {
        var r = STDPSynapseSpec()
        r.tauPlus = 16.8
        r.tauMinus = 33.7
        r.lambda = lambda
        r.alpha = alpha
        r.muPlus = mu
        r.muMinus = mu
        r.wMax = 10
        r.pairing = pairing
        return r
    }

    func check(_ reference: (pre: [Double], post: [Double], transmitted: [Double]), rule: STDPSynapseSpec,
               file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try STDPPairingNetwork.run(pre: reference.pre, post: STDPPairingNetwork.postTimes(reference.post),
                                                rule: rule, weight: 5, delay: 1.5, end: 300)
        XCTAssertEqual(result.postSpikes.count, reference.post.count, file: file, line: line)
        XCTAssertEqual(result.transmitted.count, reference.transmitted.count, file: file, line: line)
        for (k, (ours, nest)) in zip(result.transmitted, reference.transmitted).enumerated() {
            XCTAssertEqual(ours, nest, accuracy: 1e-9, "presynaptic spike \(k) at \(reference.pre[k]) ms", file: file, line: line)
        }
    }

    func testMultiplicativeAllToAllAgreesWithNESTStdpSynapse() throws {
        try check(Self.multiplicative, rule: stdp(lambda: 0.05, alpha: 1.2, mu: 1))
    }

    /// Additive, lambda 0.3: the weight hits 0 and comes back, so the bounds are exercised too.
    func testAdditiveAllToAllAgreesWithNESTStdpSynapse() throws {
        XCTAssertTrue(Self.additive.transmitted.contains(0))
        try check(Self.additive, rule: stdp(lambda: 0.3, alpha: 0.9, mu: 0))
    }

    func testNearestAgreesWithNESTStdpNnSymmSynapse() throws {
        try check(Self.nearest, rule: stdp(lambda: 0.05, alpha: 1.2, mu: 1, pairing: .nearest))
    }

    /// The potential of a lif_delta neuron (tau_m 10 ms, threshold out of reach) just after each
    /// arrival is the sum of NEST's transmitted amplitudes, each decayed exactly; tolerance 1e-9 mV.
    func checkTsodyks(_ reference: (pre: [Double], post: [Double], transmitted: [Double]), model: TsodyksSynapseSpec,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let delay = 1.5
        let network = try NetworkBuilder.build(ShortTermPlasticityTests.spec(train: reference.pre, model: model, weight: 2, delay: delay))
        let simulator = Simulator(network: network)
        for (n, t) in reference.pre.enumerated() {
            let probe = t + delay + 0.01
            simulator.run(until: probe)
            var expected = -70.0
            for m in 0...n { expected += reference.transmitted[m] * exp(-(probe - (reference.pre[m] + delay)) / 10) }
            let v = try XCTUnwrap(network.potential(population: 1, neuron: 0, at: probe))
            XCTAssertEqual(v, expected, accuracy: 1e-9, "after spike \(n)", file: file, line: line)
        }
    }

    func testFacilitatingTsodyksAgreesWithNESTTsodyks2Synapse() throws {
        var model = TsodyksSynapseSpec()
        model.U = 0.3
        model.u = 0.3
        model.tauRec = 150
        model.tauFac = 420
        try checkTsodyks(Self.tsodyksFacilitating, model: model)
    }

    func testDefaultTsodyksAgreesWithNESTTsodyks2Synapse() throws {
        try checkTsodyks(Self.tsodyksDefaults, model: TsodyksSynapseSpec())
    }

    /// Off the grid: a presynaptic spike at 11.03 ms (NEST: precise times through parrot_neuron_ps), a
    /// postsynaptic one at 20 ms, delay 1 ms, additive (lambda 0.1, tau 20 ms, Wmax 10, w0 5), and a
    /// last presynaptic spike at 300 ms to read the facilitation. NEST's stdp_synapse pairs the grid
    /// stamp of the presynaptic spike, 11.1 ms, not 11.03 (nest-simulator #2176): its weight is the
    /// closed form at the offset 9.9 ms. Ours is the closed form at the exact offset 9.97 ms.
    func testOffTheGridOursMatchesTheClosedFormWhereNESTDoesNot() throws {
        var r = STDPSynapseSpec()
        r.lambda = 0.1
        r.alpha = 1
        r.muPlus = 0
        r.muMinus = 0
        r.wMax = 10
        let post = STDPPairingNetwork.postTimes([20.0])
        let result = try STDPPairingNetwork.run(pre: [11.03, 300], post: post, rule: r, weight: 5, delay: 1, end: 310)
        func closedForm(pre: Double) -> Double {
            5 + 0.1 * 10 * exp(-(post[0] + 1 - pre) / 20) - 0.1 * 10 * exp(-(300 - post[0] - 1) / 20)
        }
        let nest = Self.offGrid.transmitted[1]
        XCTAssertEqual(result.transmitted[1], closedForm(pre: 11.03), accuracy: 1e-12)
        XCTAssertEqual(nest, closedForm(pre: 11.1), accuracy: 1e-9, "NEST pairs the grid stamp")
        XCTAssertGreaterThan(abs(nest - closedForm(pre: 11.03)), 1e-3, "and so differs from the exact offset's")
    }
}
