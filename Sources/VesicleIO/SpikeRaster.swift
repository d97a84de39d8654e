import Foundation

/// Spikes of a run, per population, as read back from any of the formats.
public struct SpikeRaster: Sendable, Equatable {
    public var populations: [String]
    /// `neurons[p][k]` fired at `times[p][k]` (ms).
    public var neurons: [[UInt64]]
    public var times: [[Double]]

    public init(populations: [String], neurons: [[UInt64]], times: [[Double]]) {
        self.populations = populations
        self.neurons = neurons
        self.times = times
    }

    /// The populations reordered to follow `order`; unlisted ones keep their order after those.
    func ordered(by order: [String]) -> SpikeRaster {
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let permutation = populations.indices.sorted {
            (rank[populations[$0]] ?? order.count + $0, $0) < (rank[populations[$1]] ?? order.count + $1, $1)
        }
        return SpikeRaster(
            populations: permutation.map { populations[$0] }, neurons: permutation.map { neurons[$0] },
            times: permutation.map { times[$0] })
    }

    public var spikeCount: Int { times.reduce(0) { $0 + $1.count } }

    /// Reads the spike raster of `directory` in `format`, or in the best format present
    /// (HDF5, then NumPy, then CSV) when `format` is nil. Populations come in the order of
    /// `populations`, else of the run's `metadata.json`, else as found in the file; populations
    /// found in the file but not listed are appended.
    public static func read(
        directory: String, format: OutputFormat? = nil, populations: [String]? = nil
    ) throws -> SpikeRaster {
        let declared = populations ?? (try? RunDirectory.metadata(of: directory))?.populations.map(\.name) ?? []
        return try readFound(directory: directory, format: format, declared: declared).ordered(by: declared)
    }

    private static func readFound(directory: String, format: OutputFormat?, declared: [String] = []) throws -> SpikeRaster {
        let layout = SpikeRasterWriter.layout(populations: declared)
        guard let chosen = format ?? RecordTableReader.availableFormat(directory: directory, layout: layout) else {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            let partial = names.contains { $0.hasPrefix("spikes.") && $0.hasSuffix(".partial") }
            throw VesicleIOError.readFailed(
                path: directory,
                reason: partial
                    ? "its spike files are still named *.partial: the run stopped before they were complete"
                    : "no spike raster (spikes.h5, spikes.<population>.neuron.npy or spikes.csv)")
        }
        let (groups, columns) = try RecordTableReader.read(directory: directory, layout: layout, format: chosen)
        for (g, column) in columns.enumerated() where column[1].doubles.contains(where: { !$0.isFinite }) {
            throw VesicleIOError.malformed(path: directory + "/spikes.*",
                                           reason: "population \(groups[g]) has a spike time that is not a finite number")
        }
        return SpikeRaster(
            populations: groups,
            neurons: columns.map { $0[0].indices ?? [] },
            times: columns.map { $0[1].doubles })
    }

    /// Spike times per neuron of population `p`, for `neuronCount` neurons; spikes of neurons
    /// at or beyond `neuronCount` are an error in the file.
    public func trains(population p: Int, neuronCount: Int) throws -> [[Double]] {
        var trains = [[Double]](repeating: [], count: neuronCount)
        for (neuron, time) in zip(neurons[p], times[p]) {
            guard neuron < UInt64(neuronCount) else {
                throw VesicleIOError.invalidArgument(
                    "population \(populations[p]) has \(neuronCount) neurons but a spike of neuron \(neuron)")
            }
            trains[Int(neuron)].append(time)
        }
        return trains
    }
}
