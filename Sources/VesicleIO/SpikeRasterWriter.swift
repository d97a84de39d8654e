/// Streams spikes to `spikes.csv` (`population,neuron,time_ms`), NumPy columns
/// `spikes.<population>.time_ms.npy` (`<f8`) and `spikes.<population>.neuron.npy` (`<u8`), and the
/// SONATA file `spikes.h5` (`/spikes/<population>/timestamps` in ms and `node_ids`, with the
/// `sorting` attribute "by_time" when every population's spikes arrived in time order).
public final class SpikeRasterWriter {
    private let table: RecordTableWriter
    private var words: [UInt64] = [0, 0]

    static func layout(populations: [String]) -> RecordTableLayout {
        RecordTableLayout(
            stem: "spikes", groupColumn: "population", groups: populations,
            columns: [ColumnSchema("neuron", .uint64), ColumnSchema("time_ms", .float64)],
            hdf5GroupPath: { "/spikes/" + $0 },
            hdf5DatasetNames: ["node_ids", "timestamps"],
            hdf5DatasetAttributes: [[], [("units", "ms")]],
            sortingColumn: 1)
    }

    public init(directory: RunDirectory, populations: [String], formats: Set<OutputFormat>) throws {
        guard !populations.isEmpty else { throw VesicleIOError.invalidArgument("a spike raster needs at least one population") }
        table = try RecordTableWriter(directory: directory.path, layout: Self.layout(populations: populations), formats: formats)
    }

    /// Reopens the raster of an interrupted run at a checkpoint's position (CSV only).
    public init(directory: RunDirectory, populations: [String], resumingAt position: RecordTablePosition) throws {
        table = try RecordTableWriter(directory: directory.path, layout: Self.layout(populations: populations), resumingAt: position)
    }

    /// Syncs the raster and returns its position, for a checkpoint.
    public func checkpointPosition() throws -> RecordTablePosition { try table.checkpointPosition() }

    /// Records a spike of `neuron` (index within its population) of population `population`
    /// (index into `populations`) at `time` ms.
    public func append(population: Int, neuron: Int, time: Double) throws {
        guard neuron >= 0 else { throw VesicleIOError.invalidArgument("negative neuron index \(neuron)") }
        words[0] = UInt64(neuron)
        words[1] = time.bitPattern
        try table.append(group: population, words: words)
    }

    /// Spikes recorded so far, per population.
    public var counts: [Int] { table.counts }

    /// Writes every file; renames them to their final names only when `complete`.
    @discardableResult
    public func finish(complete: Bool) throws -> [String] { try table.finish(complete: complete) }
}
