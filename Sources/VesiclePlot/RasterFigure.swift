import Foundation

/// The spikes of one population, as the raster figure needs them.
public struct PopulationSpikes: Sendable {
    public var name: String
    /// Number of neurons (rates are per neuron, silent ones included).
    public var neuronCount: Int
    public var neurons: [UInt64]
    public var times: [Double]
    public init(name: String, neuronCount: Int, neurons: [UInt64], times: [Double]) {
        self.name = name
        self.neuronCount = neuronCount
        self.neurons = neurons
        self.times = times
    }
}

/// A spike raster over the population rate (`vesicle plot raster`).
///
/// Downsampling rule, stated in the figure: of a population of N neurons at most K are drawn,
/// those with indices `floor(j N / K)` for j = 0..<K (evenly spread); K starts at
/// `maxNeuronsPerPopulation` and shrinks in proportion if the dots drawn would exceed
/// `maxDots`. The rate panel always uses every spike of every neuron.
public enum RasterFigure {
    public struct Selection: Equatable, Sendable {
        /// Neuron indices drawn, per population, in row order.
        public var neurons: [[Int]]
        public var dots: Int
    }

    /// The neurons drawn for each population under the rule above.
    public static func select(_ populations: [PopulationSpikes], maxNeuronsPerPopulation: Int, maxDots: Int) -> Selection {
        func choose(_ limit: Int) -> [[Int]] {
            populations.map { p in
                let k = min(p.neuronCount, max(1, limit))
                return (0..<k).map { j in j * p.neuronCount / k }
            }
        }
        func dots(_ chosen: [[Int]]) -> Int {
            zip(populations, chosen).reduce(0) { total, pair in
                let set = Set(pair.1.map(UInt64.init))
                return total + pair.0.neurons.reduce(0) { $0 + (set.contains($1) ? 1 : 0) }
            }
        }
        var limit = max(1, maxNeuronsPerPopulation)
        var chosen = choose(limit)
        var count = dots(chosen)
        while count > maxDots, limit > 1 {
            limit = max(1, Int(Double(limit) * Double(maxDots) / Double(count) * 0.95))
            chosen = choose(limit)
            count = dots(chosen)
        }
        return Selection(neurons: chosen, dots: count)
    }

    /// The downsampling rule as drawn: "Drawn: 40 of each population's neurons (all of L5i)" when
    /// every population got the same K or all its neurons, else each population's K of N.
    static func drawnNote(_ populations: [PopulationSpikes], _ selection: Selection) -> String {
        let rule = "evenly spaced indices ⌊jN/K⌋; rates use all neurons"
        let k = selection.neurons.map(\.count).max() ?? 0
        let uniform = zip(populations, selection.neurons).allSatisfy { $1.count == min($0.neuronCount, k) }
        let whole = populations.filter { $0.neuronCount <= k }.map(\.name)
        if uniform, populations.count > 2, whole.count < populations.count {
            let all = whole.isEmpty ? "" : " (all of \(whole.joined(separator: ", ")))"
            return "Drawn: \(k) neurons of each population\(all), \(rule)"
        }
        let drawn = zip(populations, selection.neurons).map { "\($0.name) \($1.count) of \($0.neuronCount)" }
        return "Drawn: \(drawn.joined(separator: ", ")) neurons, \(rule)"
    }

    /// A bin width of 1, 2 or 5 times a power of ten giving about `target` bins over `span` ms.
    public static func rateBin(span: Double, target: Int = 400) -> Double {
        let raw = max(span, 1e-6) / Double(target)
        let magnitude = pow(10, floor(log10(raw)))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    }

    /// The raster over one rate panel per population (each with its own y range, so a
    /// population of 10 Hz stays readable under one of 100 Hz; 8 populations give 8 panels).
    /// `from` is where the plot starts: `vesicle plot raster` passes the end of the warm-up.
    /// - Complexity: O(spikes).
    public static func make(
        populations: [PopulationSpikes], from: Double, to: Double, maxNeuronsPerPopulation: Int = 100,
        maxDots: Int = 200_000, width: Int = 1000, rasterHeight: Int? = nil, ratePanelHeight: Int = 125
    ) throws -> Figure {
        guard !populations.isEmpty else { throw PlotError.noData("no populations") }
        guard to > from else { throw PlotError.noData("empty time window \(from)...\(to) ms") }
        let selection = select(populations, maxNeuronsPerPopulation: maxNeuronsPerPopulation, maxDots: maxDots)
        let totalRows = selection.neurons.reduce(0) { $0 + $1.count }
        var marks: [PlotMark] = []
        var categories: [(Double, String)] = []
        var rowOffset = 0
        for (p, population) in populations.enumerated() {
            let rows = selection.neurons[p]
            var rowOf: [UInt64: Int] = [:]
            for (row, neuron) in rows.enumerated() { rowOf[UInt64(neuron)] = row }
            var xs: [Double] = []
            var ys: [Double] = []
            for (neuron, time) in zip(population.neurons, population.times) where time >= from && time <= to {
                if let row = rowOf[neuron] {
                    xs.append(time)
                    // The first population sits at the top.
                    ys.append(Double(totalRows - rowOffset - row) - 0.5)
                }
            }
            marks.append(.points(x: xs, y: ys, color: PlotColor.series(p), size: 2))
            categories.append((Double(totalRows - rowOffset) - Double(rows.count) / 2, population.name))
            rowOffset += rows.count
        }
        let note = drawnNote(populations, selection)
        let xScale = AxisScale(lower: from, upper: to)
        // The y axis names the populations (coloured as their dots); no legend is needed.
        let longest = populations.map(\.name.count).max() ?? 1
        let left = max(72, 30 + 7.5 * Double(longest))
        let rasterPixels = Double(rasterHeight ?? max(300, width * 45 / 100))
        let raster = PlotPanel(
            frame: PlotRect(x: 0, y: 0, width: Double(width), height: rasterPixels),
            xScale: xScale, yScale: AxisScale(lower: 0, upper: Double(max(totalRows, 1))),
            title: "Spike raster, " + String(format: "%g–%g ms", from, to),
            xLabel: "time (ms)", yLabel: "neuron", marks: marks, note: note, yCategories: categories,
            margins: PlotMargins(left: left, right: 16, top: 40, bottom: 46))

        let bin = rateBin(span: to - from)
        let binCount = max(1, Int(((to - from) / bin).rounded(.up)))
        let centres = (0..<binCount).map { from + (Double($0) + 0.5) * bin }
        var panels = [raster]
        var y = rasterPixels
        for (p, population) in populations.enumerated() {
            var counts = [Double](repeating: 0, count: binCount)
            for time in population.times where time >= from && time < to {
                counts[min(binCount - 1, Int((time - from) / bin))] += 1
            }
            let rates = counts.map { $0 / Double(max(1, population.neuronCount)) / (bin / 1000) }
            let peak = rates.max() ?? 0
            let mean = rates.reduce(0, +) / Double(rates.count)
            let last = p == populations.count - 1
            let height = Double(ratePanelHeight) + (last ? 20 : 0)
            panels.append(PlotPanel(
                frame: PlotRect(x: 0, y: y, width: Double(width), height: height),
                xScale: xScale, yScale: AxisScale(lower: 0, upper: peak > 0 ? peak * 1.1 : 1),
                title: "\(population.name): population rate, bins of \(AxisScale.label(bin, step: bin)) ms, mean \(String(format: "%.2f", mean)) Hz",
                xLabel: last ? "time (ms)" : "", yLabel: "rate (Hz)",
                marks: [.line(x: centres, y: rates, color: PlotColor.series(p), width: 1.2, dashed: false)],
                margins: PlotMargins(left: left, right: 16, top: 24, bottom: last ? 46 : 26)))
            y += height
        }
        return Figure(width: width, height: Int(y.rounded(.up)), panels: panels)
    }
}
