// The log-log slope of the circuit's variability against rate with its confidence interval, and the
// slope the mean-field prediction has over the same rates (issue 18 item 5; docs/MODEL.md §5, §6), so
// that a measured slope is compared with what the model predicts at the circuit's own nu0 and rates,
// not with the nu^(-1/2) law that holds only for nu >> nu0.

import Foundation
import VesicleAnalysis

extension PaperCircuit {
    /// Ordinary least squares of log y on log x over the points with x, y > 0: the slope and its 95 %
    /// interval, slope -/+ 1.96 standard errors (normal quantile; the fits have thousands of points).
    /// The standard error assumes independent residuals: synapses onto one L5E neuron share its spikes,
    /// so the interval is a lower bound on the uncertainty, not a test of the fit's model.
    /// - Complexity: O(n).
    public static func logLogSlopeInterval(x: [Double], y: [Double]) -> (slope: Double, low: Double, high: Double, count: Int) {
        let points = zip(x, y).filter { $0.0 > 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
            .map { (log($0.0), log($0.1)) }
        guard points.count >= 3 else { return (.nan, .nan, .nan, points.count) }
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.0 } / n
        let meanY = points.reduce(0) { $0 + $1.1 } / n
        let sxx = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.0 - meanX) }
        let sxy = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        guard sxx > 0 else { return (.nan, .nan, .nan, points.count) }
        let slope = sxy / sxx
        let residual = points.reduce(0) { r, p in
            let e = p.1 - meanY - slope * (p.0 - meanX)
            return r + e * e
        }
        let se = (residual / (n - 2) / sxx).squareRoot()
        return (slope, slope - 1.96 * se, slope + 1.96 * se, points.count)
    }

    /// The local log-log slope of the prediction (a/nu)(sqrt(1 + nu/nu0) - 1) at rate nu:
    /// d ln s2 / d ln nu = -x / (2 sqrt(1 + x) (sqrt(1 + x) + 1)), x = nu / nu0; it is -x/4 for x << 1
    /// (flat: the prior holds the variance) and tends to -1/2 for x >> 1 (the evidence does).
    /// - Complexity: O(1).
    public static func predictedLocalSlope(nu: Double, nu0: Double) -> Double {
        let r = (1 + nu / nu0).squareRoot()
        return -(nu / nu0) / (2 * r * (r + 1))
    }

    /// The least-squares log-log slope the prediction at nu0 has over the measured rates: what the
    /// measured slope over the same synapses is to be compared with. `a` drops out of a log-log slope.
    /// - Complexity: O(n).
    public static func predictedSlope(rates: [Double], nu0: Double) -> Double {
        ReleaseStatistics.logLogSlope(x: rates, y: rates.map {
            ReleaseStatistics.variabilityModel(nu: $0, a: 1, nu0: nu0)
        })
    }
}
