import Foundation
import XCTest
import VesicleEngine
import VesicleModel
import VesicleRandom

/// `fixed_total_number` (NEST's rule), `fixed_indegree` with more sources than the pool (multapses),
/// connection lists, and delays from a redrawn (truncated) normal, built through NetworkBuilder.
/// Statistical tests are seeded and use alpha = 0.001 (Wilson-Hilferty chi-square quantiles).
final class FixedTotalNumberTests: XCTestCase {
    func table(_ rule: ConnectionRule, sizes: (Int, Int), same: Bool = false, autapses: Bool = true,
               multapses: Bool = true, delay: Distribution = .constant(1), seed: UInt64 = 3) throws -> SynapseTable {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 1, seed: seed))
        spec.populations = [PopulationSpec(name: "A", size: sizes.0, model: .lifDelta(TestNetworks.lif()))]
        if !same { spec.populations.append(PopulationSpec(name: "B", size: sizes.1, model: .lifDelta(TestNetworks.lif()))) }
        spec.projections = [ProjectionSpec(name: "p", source: .init(population: "A"), target: .init(population: same ? "A" : "B"),
                                           rule: rule, allowAutapses: autapses, allowMultapses: multapses,
                                           weight: .constant(0.1), delay: delay)]
        return try NetworkBuilder.build(spec).projections[0].synapses
    }

    func pairs(_ t: SynapseTable) -> [(source: Int, target: Int)] {
        (0..<t.sourceCount).flatMap { s in (t.rowStart[s]..<t.rowStart[s + 1]).map { (s, Int(t.targets[$0])) } }
    }

    static func binomialPMF(_ k: Int, _ n: Int, _ p: Double) -> Double {
        let logCoefficient: Double = lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
        let logPower: Double = Double(k) * log(p) + Double(n - k) * log1p(-p)
        return exp(logCoefficient + logPower)
    }

    static func pearson(_ observed: [Double], _ expected: [Double]) -> Double {
        var statistic = 0.0
        for (o, e) in zip(observed, expected) { statistic += (o - e) * (o - e) / e }
        return statistic
    }

    static func chiSquareQuantile(_ k: Int, z: Double) -> Double {
        let d = Double(k)
        let c = 1 - 2 / (9 * d) + z * (2 / (9 * d)).squareRoot()
        return d * c * c * c
    }

    /// Exact total; per-target counts multinomial(n, 1/T): the dispersion statistic lies within the
    /// two-sided 0.002 band of chi-square(T - 1).
    func testTotalIsExactAndPerTargetCountsAreMultinomial() throws {
        let n = 40_000
        let t = try table(.fixedTotalNumber(n), sizes: (50, 400))
        XCTAssertEqual(t.synapseCount, n)
        var perTarget = [Int](repeating: 0, count: 400)
        for (_, target) in pairs(t) { perTarget[target] += 1 }
        let expected = Double(n) / 400
        let statistic = Self.pearson(perTarget.map(Double.init), [Double](repeating: expected, count: perTarget.count))
        XCTAssertGreaterThan(statistic, Self.chiSquareQuantile(399, z: -3.0902))
        XCTAssertLessThan(statistic, Self.chiSquareQuantile(399, z: 3.0902))
    }

    /// With multapses every (source, target) pair's multiplicity is Binomial(n, 1/(S T)) marginally:
    /// the histogram of multiplicities 0, 1, 2, 3, 4, >= 5 over the 10 000 pairs against it.
    func testMultapseMultiplicitiesAreBinomial() throws {
        let n = 20_000, s = 100, tCount = 100
        let t = try table(.fixedTotalNumber(n), sizes: (s, tCount), seed: 11)
        var multiplicity = [Int](repeating: 0, count: s * tCount)
        for (source, target) in pairs(t) { multiplicity[source * tCount + target] += 1 }
        var observed = [Double](repeating: 0, count: 6)
        for m in multiplicity { observed[min(m, 5)] += 1 }
        let p = 1 / Double(s * tCount)
        var expected: [Double] = (0..<5).map { k in Double(s * tCount) * Self.binomialPMF(k, n, p) }
        expected.append(Double(s * tCount) - expected.reduce(0, +))
        let statistic = Self.pearson(observed, expected)
        XCTAssertLessThan(statistic, Self.chiSquareQuantile(5, z: 3.0902), "observed \(observed), expected \(expected)")
        XCTAssertGreaterThan(observed[2], 0, "multapses must occur at 2 synapses per pair on average")
    }

    func testAutapsesExcludedWithinOnePopulation() throws {
        let t = try table(.fixedTotalNumber(5_000), sizes: (30, 30), same: true, autapses: false)
        XCTAssertEqual(t.synapseCount, 5_000)
        XCTAssertTrue(pairs(t).allSatisfy { $0.source != $0.target })
    }

    /// Without multapses: n distinct pairs (both by rejection, n <= half the pairs, and by drawing the
    /// pairs left out); more than the pairs is refused.
    func testWithoutMultapsesPairsAreDistinct() throws {
        for n in [300, 800] {
            let t = try table(.fixedTotalNumber(n), sizes: (30, 30), same: true, autapses: false, multapses: false)
            let codes = pairs(t).map { $0.source * 30 + $0.target }
            XCTAssertEqual(codes.count, n)
            XCTAssertEqual(Set(codes).count, n)
            XCTAssertTrue(pairs(t).allSatisfy { $0.source != $0.target })
        }
        XCTAssertThrowsError(try table(.fixedTotalNumber(871), sizes: (30, 30), same: true, autapses: false, multapses: false)) {
            XCTAssertTrue(String(describing: $0).contains("870"), "\($0)")
        }
    }

    /// The per-target stream: a target's sources depend only on (seed, projection, target) and the
    /// count, so enlarging another target's count leaves them unchanged in distribution and identity
    /// (checked here through determinism: the same seed builds the same table).
    func testSameSeedSameTable() throws {
        let a = try table(.fixedTotalNumber(3_000), sizes: (40, 60), seed: 5)
        let b = try table(.fixedTotalNumber(3_000), sizes: (40, 60), seed: 5)
        XCTAssertEqual(a.targets, b.targets)
        XCTAssertEqual(a.rowStart, b.rowStart)
    }

    /// In-degree 25 from 10 sources with multapses (as NEST): each target has exactly 25, and a
    /// target's draws from one source are Binomial(25, 1/10): pooled over 500 targets and 10 sources.
    func testIndegreeLargerThanTheSourceWithMultapses() throws {
        let t = try table(.fixedIndegree(25), sizes: (10, 500), seed: 9)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 500)
        for (source, target) in pairs(t) { counts[target][source] += 1 }
        XCTAssertTrue(counts.allSatisfy { $0.reduce(0, +) == 25 })
        var observed = [Double](repeating: 0, count: 7)
        for row in counts { for c in row { observed[min(c, 6)] += 1 } }
        var expected: [Double] = (0..<6).map { k in 5_000 * Self.binomialPMF(k, 25, 0.1) }
        expected.append(5_000 - expected.reduce(0, +))
        let statistic = Self.pearson(observed, expected)
        XCTAssertLessThan(statistic, Self.chiSquareQuantile(6, z: 3.0902), "observed \(observed), expected \(expected)")
        XCTAssertThrowsError(try table(.fixedIndegree(25), sizes: (10, 500), multapses: false))
    }

    func testConnectionListKeepsEachSynapsesWeightAndDelay() throws {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 1, seed: 1))
        spec.populations = [PopulationSpec(name: "A", size: 5, model: .lifDelta(TestNetworks.lif())),
                            PopulationSpec(name: "B", size: 5, model: .lifDelta(TestNetworks.lif()))]
        let list = ConnectionList(sources: [3, 0, 3, 1], targets: [4, 2, 0, 2], weights: [0.25, 0.5, -1, 2], delays: [2, 1.5, 0.5, 0.1])
        spec.projections = [ProjectionSpec(name: "p", source: .init(population: "A"), target: .init(population: "B"),
                                           rule: .fromList(list), weight: .constant(1), delay: .constant(1))]
        let t = try NetworkBuilder.build(spec).projections[0].synapses
        var found: [String] = []
        for s in 0..<t.sourceCount {
            for k in t.rowStart[s]..<t.rowStart[s + 1] {
                found.append("\(s)->\(t.targets[k]) w \(t.weight(at: k)) d \(String(format: "%.1f", t.delay(at: k)))")
            }
        }
        XCTAssertEqual(found.sorted(), ["0->2 w 0.5 d 1.5", "1->2 w 2.0 d 0.1", "3->0 w -1.0 d 0.5", "3->4 w 0.25 d 2.0"])
        var bad = spec
        bad.projections[0].rule = .fromList(ConnectionList(sources: [5], targets: [0]))
        XCTAssertThrowsError(try NetworkBuilder.build(bad)) { XCTAssertTrue(String(describing: $0).contains("source 5"), "\($0)") }
    }

    // MARK: Redrawn normal bounds

    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// CDF of N(mean, sd^2) truncated to [lower, upper].
    static func truncatedCDF(_ x: Double, mean: Double, sd: Double, lower: Double, upper: Double) -> Double {
        let a = normalCDF((lower - mean) / sd), b = upper.isFinite ? normalCDF((upper - mean) / sd) : 1
        return min(1, max(0, (normalCDF((x - mean) / sd) - a) / (b - a)))
    }

    /// Kolmogorov-Smirnov of 20 000 redrawn draws against the truncated normal, seed 17, at alpha =
    /// 0.001 (critical value 1.949 / sqrt(n)); a clipped normal (mass piled at the bound) fails it.
    func testRedrawnNormalIsTheTruncatedNormal() {
        let cases: [(Double, Double, Double, Double)] = [(1.5, 0.75, 0.1, .infinity), (0.75, 0.375, 0.1, .infinity),
                                                         (0, 1, 1, 2), (0, 1, -.infinity, -1.5), (2, 1, 2.5, 3)]
        let n = 20_000
        let critical = 1.949 / Double(n).squareRoot()
        for (index, (mean, sd, lower, upper)) in cases.enumerated() {
            var rng = RandomStream(seed: 17, purpose: .delays, index: UInt64(index))
            let d = Distribution.boundedNormal(mean: mean, sd: sd, lower: lower, upper: upper)
            let draws = (0..<n).map { _ in d.draw(using: &rng)! }.sorted()
            XCTAssertTrue(draws.allSatisfy { $0 >= lower && $0 <= upper })
            var ks = 0.0
            for (i, x) in draws.enumerated() {
                let f = Self.truncatedCDF(x, mean: mean, sd: sd, lower: lower, upper: upper)
                ks = max(ks, abs(f - Double(i) / Double(n)), abs(f - Double(i + 1) / Double(n)))
            }
            XCTAssertLessThan(ks, critical, "normal(\(mean), \(sd)) on [\(lower), \(upper)]: KS \(ks)")
            // The same test rejects clipping to the bounds, which piles the cut mass at them.
            let clipped = (0..<n).map { _ in min(upper, max(lower, mean + sd * rng.normal())) }.sorted()
            var clippedKS = 0.0
            for (i, x) in clipped.enumerated() {
                let f = Self.truncatedCDF(x, mean: mean, sd: sd, lower: lower, upper: upper)
                clippedKS = max(clippedKS, abs(f - Double(i + 1) / Double(n)))
            }
            XCTAssertGreaterThan(clippedKS, critical, "clipping must be told apart from redrawing")
        }
    }

    /// Delays through the builder: stored in 0.1-ms steps (round to nearest, as NEST), each step's
    /// frequency against the truncated normal's mass on [(k - 1/2) h, (k + 1/2) h) within [0.1, inf),
    /// chi-square at alpha = 0.001, seed 3. Redrawing puts no extra mass on the first step.
    func testBuiltDelaysFollowTheRedrawnNormalOnTheGrid() throws {
        let (mean, sd, lower) = (0.75, 0.375, 0.1)
        let t = try table(.fixedTotalNumber(200_000), sizes: (100, 100),
                          delay: .boundedNormal(mean: mean, sd: sd, lower: lower, upper: .infinity))
        var counts: [Int: Int] = [:]
        for k in 0..<t.synapseCount { counts[Int((t.delay(at: k) / 0.1).rounded()), default: 0] += 1 }
        var statistic = 0.0, cells = 0
        var pendingO = 0.0, pendingE = 0.0
        for step in 1...60 {
            let lo = max(lower, (Double(step) - 0.5) * 0.1), hi = (Double(step) + 0.5) * 0.1
            let mass = Self.truncatedCDF(hi, mean: mean, sd: sd, lower: lower, upper: .infinity)
                - Self.truncatedCDF(lo, mean: mean, sd: sd, lower: lower, upper: .infinity)
            pendingO += Double(counts[step] ?? 0)
            pendingE += mass * Double(t.synapseCount)
            if pendingE >= 5 || step == 60 {
                statistic += (pendingO - pendingE) * (pendingO - pendingE) / max(pendingE, 1e-300)
                cells += 1
                pendingO = 0; pendingE = 0
            }
        }
        XCTAssertEqual(counts.keys.min(), 1)
        XCTAssertLessThan(statistic, Self.chiSquareQuantile(cells - 1, z: 3.0902))
    }
}
