import XCTest
@testable import VesicleKernels

/// How measured per-step costs become a choice between FFT and per-event scatter (no timing
/// thresholds: the decision is recomputed here from the costs).
final class EventDensityCrossoverTests: XCTestCase {
    /// FFT 3 x 2^-25 s per step against 2^-25 s per scattered event (about 30 and 10 ns, exact in
    /// binary): equal cost at exactly 3 events per step.
    func testBreakEvenIsTheRatioOfTheCosts() {
        let costs = EventDensityCrossover.Costs(kernelLength: 10, transformLength: 8192,
                                                fftSecondsPerStep: 3 * 0x1p-25, scatterSecondsPerEvent: 0x1p-25)
        XCTAssertEqual(costs.breakEvenEventsPerStep, 3)
        XCTAssertFalse(costs.prefersFFT(eventsPerStep: 0.01))
        XCTAssertFalse(costs.prefersFFT(eventsPerStep: 3))
        XCTAssertTrue(costs.prefersFFT(eventsPerStep: 3.01))
    }

    /// Measured costs are positive, kept for the process (a second request returns the same
    /// measurement) and follow the decision rule.
    func testMeasuredCostsAreCachedAndConsistent() throws {
        let cache = FFTWPlanCache(rigor: .estimate)
        let first = try EventDensityCrossover.costs(kernelLength: 24, transformLength: 256, planCache: cache)
        XCTAssertGreaterThan(first.fftSecondsPerStep, 0)
        XCTAssertGreaterThan(first.scatterSecondsPerEvent, 0)
        XCTAssertEqual(try EventDensityCrossover.costs(kernelLength: 24, transformLength: 256, planCache: cache), first)
        let breakEven = first.fftSecondsPerStep / first.scatterSecondsPerEvent
        XCTAssertEqual(first.prefersFFT(eventsPerStep: 2 * breakEven), true)
        XCTAssertEqual(first.prefersFFT(eventsPerStep: breakEven / 2), false)
    }

    func testTransformShorterThanKernelThrows() {
        XCTAssertThrowsError(try EventDensityCrossover.costs(kernelLength: 100, transformLength: 64))
        XCTAssertThrowsError(try EventDensityCrossover.costs(kernelLength: 0))
    }

    /// The scatter writes w h[i] at ring slot (start + i) mod R, wrapping at the ring's end.
    func testScatterWrapsAroundTheRing() {
        var ring = Array(repeating: 0.0, count: 5)
        let h: [Double] = [1, 2, 3]
        ring.withUnsafeMutableBufferPointer { r in
            EventDensityCrossover.scatterEvent(2, at: 3, h, 3, r.baseAddress!, 5)
        }
        XCTAssertEqual(ring, [6, 0, 0, 2, 4])
    }
}
