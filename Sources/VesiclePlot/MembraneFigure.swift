/// `vesicle plot membrane`: the sampled membrane potential of recorded neurons, one panel per
/// population, one coloured line per neuron (at most `PlotColor.palette.count`, so every line has
/// its own colour), over a shared time axis.
public enum MembraneFigure {
    /// The samples of one neuron.
    public struct NeuronTrace: Sendable {
        public var neuron: UInt64
        public var time: [Double]
        public var potential: [Double]
        public init(neuron: UInt64, time: [Double], potential: [Double]) {
            self.neuron = neuron
            self.time = time
            self.potential = potential
        }
    }

    /// The traces of one population, and how many of its neurons were recorded.
    public struct PopulationTraces: Sendable {
        public var population: String
        public var recordedNeurons: Int
        public var neurons: [NeuronTrace]
        /// Unit of the potential, as recorded (`mV`).
        public var unit: String
        public init(population: String, recordedNeurons: Int, neurons: [NeuronTrace], unit: String = "mV") {
            self.population = population
            self.recordedNeurons = recordedNeurons
            self.neurons = neurons
            self.unit = unit
        }
    }

    public static var maximumNeuronsPerPanel: Int { PlotColor.palette.count }

    /// - Complexity: O(samples).
    public static func make(
        _ populations: [PopulationTraces], from: Double? = nil, to: Double? = nil, width: Int = 1000, panelHeight: Int = 300
    ) throws -> Figure {
        let shown = populations.map { p in
            PopulationTraces(population: p.population, recordedNeurons: p.recordedNeurons,
                             neurons: Array(p.neurons.filter { !$0.time.isEmpty }.prefix(maximumNeuronsPerPanel)), unit: p.unit)
        }.filter { !$0.neurons.isEmpty }
        guard !shown.isEmpty else { throw PlotError.noData("no membrane samples") }
        let allTimes = shown.flatMap { $0.neurons.flatMap(\.time) }
        let lower = from ?? allTimes.min() ?? 0
        let upper = to ?? allTimes.max() ?? 1
        guard upper > lower else { throw PlotError.noData("empty time window \(lower)...\(upper) ms") }
        let xScale = AxisScale(lower: lower, upper: upper)
        var panels: [PlotPanel] = []
        for (k, population) in shown.enumerated() {
            var marks: [PlotMark] = []
            var legend: [LegendEntry] = []
            var values: [Double] = []
            for (j, trace) in population.neurons.enumerated() {
                let inWindow = trace.time.indices.filter { trace.time[$0] >= lower && trace.time[$0] <= upper }
                let xs = inWindow.map { trace.time[$0] }, ys = inWindow.map { trace.potential[$0] }
                values += ys
                marks.append(.line(x: xs, y: ys, color: PlotColor.series(j), width: 1.2, dashed: false))
                legend.append(LegendEntry("neuron \(trace.neuron)", PlotColor.series(j)))
            }
            let drawn = population.neurons.count
            let title = "Membrane potential of \(population.population): "
                + (drawn == population.recordedNeurons ? "\(drawn) recorded neuron\(drawn == 1 ? "" : "s")"
                                                       : "\(drawn) of \(population.recordedNeurons) recorded neurons")
            panels.append(PlotPanel(
                frame: PlotRect(x: 0, y: Double(k * panelHeight), width: Double(width), height: Double(panelHeight)),
                xScale: xScale, yScale: AxisScale.fitting(values), title: title, xLabel: "time (ms)",
                yLabel: "V_m (\(population.unit))", marks: marks, legend: legend))
        }
        return Figure(width: width, height: shown.count * panelHeight, panels: panels)
    }
}
