// The log-log slope of variability against rate with an interval that allows for the circuit's shared
// neurons (issue 18 item 5; docs/MODEL.md §6). Synapses from one presynaptic neuron share its spike
// train, so their rates are one number and their posteriors saw the same spikes; synapses onto one
// postsynaptic neuron share its spikes and its expected rate. The OLS interval of
// `logLogSlopeInterval` treats every synapse as independent and is far too narrow for that.

import Foundation

extension PaperCircuit {
    /// OLS of log y on log x over the points with x, y > 0 and finite, with the two-way cluster-robust
    /// standard error of the slope (Cameron, Gelbach & Miller 2011): V = V_a + V_b - V_ab, where V_g =
    /// c_g sum over the clusters of grouping g of (sum_i (X_i - mean X) e_i)^2 / Sxx^2, e_i the OLS
    /// residuals, c_g = G/(G-1) for G clusters, and ab the clusters of points sharing both labels.
    /// If V comes out negative (possible in two-way clustering), the larger one-way variance is used.
    /// The interval is slope -/+ 1.96 sqrt(V) (normal quantile: the circuits have hundreds of clusters).
    /// `a` and `b` label each point's clusters (presynaptic and postsynaptic neuron); they are read at
    /// the same indices as x and y.
    /// - Complexity: O(n) expected (hashing the labels).
    public static func clusteredLogLogSlopeInterval(x: [Double], y: [Double], a: [Int], b: [Int])
        -> (slope: Double, low: Double, high: Double, count: Int) {
        precondition(x.count == y.count && x.count == a.count && x.count == b.count, "one label per point")
        var X: [Double] = [], Y: [Double] = [], A: [Int] = [], B: [Int] = []
        for i in x.indices where x[i] > 0 && y[i] > 0 && x[i].isFinite && y[i].isFinite {
            X.append(log(x[i]))
            Y.append(log(y[i]))
            A.append(a[i])
            B.append(b[i])
        }
        guard X.count >= 3 else { return (.nan, .nan, .nan, X.count) }
        let n = Double(X.count)
        let meanX = X.reduce(0, +) / n, meanY = Y.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for i in X.indices {
            sxx += (X[i] - meanX) * (X[i] - meanX)
            sxy += (X[i] - meanX) * (Y[i] - meanY)
        }
        guard sxx > 0 else { return (.nan, .nan, .nan, X.count) }
        let slope = sxy / sxx
        let score = X.indices.map { i in (X[i] - meanX) * (Y[i] - meanY - slope * (X[i] - meanX)) }
        func variance<K: Hashable>(_ key: (Int) -> K) -> Double {
            var sums: [K: Double] = [:]
            for i in score.indices { sums[key(i), default: 0] += score[i] }
            let g = Double(sums.count)
            guard g > 1 else { return .infinity }
            return g / (g - 1) * sums.values.reduce(0) { $0 + $1 * $1 } / (sxx * sxx)
        }
        struct Pair: Hashable { let a: Int, b: Int }
        let va = variance { A[$0] }, vb = variance { B[$0] }, vab = variance { Pair(a: A[$0], b: B[$0]) }
        var v = va + vb - vab
        if !(v > 0) { v = max(va, vb) }
        let se = v.squareRoot()
        return (slope, slope - 1.96 * se, slope + 1.96 * se, X.count)
    }
}
