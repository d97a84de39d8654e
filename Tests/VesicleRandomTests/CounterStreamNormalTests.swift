// The normals the builder draws through `Distribution.draw(using:)` from per-target counter streams
// (weights and delays, docs/DESIGN.md Random keys): many short streams, several draws each.

import Foundation
import XCTest
import VesicleModel
import VesicleRandom

final class CounterStreamNormalTests: XCTestCase {
    static func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// sqrt(n) D of the sample against `cdf`.
    static func ks(_ xs: [Double], _ cdf: (Double) -> Double) -> Double {
        let s = xs.sorted(), n = Double(s.count)
        var d = 0.0
        for (i, x) in s.enumerated() {
            let f = cdf(x)
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        return d * n.squareRoot()
    }

    /// Seed 1, 2 000 targets (keys (1, weights, 4, t)), 100 draws each (n = 200 000): the unclipped
    /// normal's KS at alpha = 0.01 (sqrt(n) D < 1.628), its mean within 5 / sqrt(n), its variance
    /// within 5 sqrt(2 / n); the delay's normal(1.5, 0.75) redrawn below 0.1 ms against the truncated
    /// normal's closed-form cdf (KS) and mean mu + sd phi(a) / (1 - Phi(a)), a = (0.1 - mu) / sd.
    func testPerTargetStreamsDrawStandardNormals() throws {
        let targets = 2_000, perTarget = 100
        var z: [Double] = [], delays: [Double] = []
        z.reserveCapacity(targets * perTarget)
        let normal = Distribution.normal(mean: 0, sd: 1, clipToSign: nil)
        let delay = Distribution.boundedNormal(mean: 1.5, sd: 0.75, lower: 0.1, upper: .infinity)
        for t in 0..<targets {
            var w = CounterKey(seed: 1, purpose: .weights, entity: 4, index: UInt32(t)).stream(event: 0)
            var d = CounterKey(seed: 1, purpose: .delays, entity: 4, index: UInt32(t)).stream(event: 0)
            for _ in 0..<perTarget {
                z.append(try XCTUnwrap(normal.draw(using: &w)))
                delays.append(try XCTUnwrap(delay.draw(using: &d)))
            }
        }
        let n = Double(z.count)
        let mean = z.reduce(0, +) / n
        let variance = z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        print(String(format: "counter normals: mean %.5f var %.5f KS %.3f", mean, variance, Self.ks(z, Self.phi)))
        XCTAssertLessThan(abs(mean), 5 / n.squareRoot())
        XCTAssertLessThan(abs(variance - 1), 5 * (2 / n).squareRoot())
        XCTAssertLessThan(Self.ks(z, Self.phi), 1.628)

        let a = (0.1 - 1.5) / 0.75
        let tailMass = 1 - Self.phi(a)
        let density = exp(-a * a / 2) / (2 * Double.pi).squareRoot()
        let truncatedMean = 1.5 + 0.75 * density / tailMass
        let truncatedVariance = 0.75 * 0.75 * (1 + a * density / tailMass - (density / tailMass) * (density / tailMass))
        let meanD = delays.reduce(0, +) / n
        let ksD = Self.ks(delays) { (Self.phi(($0 - 1.5) / 0.75) - Self.phi(a)) / tailMass }
        print(String(format: "counter delays: mean %.5f vs %.5f, KS %.3f", meanD, truncatedMean, ksD))
        XCTAssertLessThan(abs(meanD - truncatedMean), 5 * (truncatedVariance / n).squareRoot())
        XCTAssertLessThan(ksD, 1.628)
    }
}
