/// Streams a sampled state variable (a membrane potential, a posterior mean, a teacher weight) to
/// `traces.<name>.csv` (`time_ms,<index>,value`), `traces.<name>.<column>.npy` and
/// `traces.<name>.h5` (`/traces/<name>/<column>`). `indexColumn` is `neuron` for neuron state and
/// `synapse` for synaptic state. `vesicle plot release` looks for traces named `mu`, `sigma2`
/// and `teacher` (indexed by synapse).
public final class TraceWriter {
    private let table: RecordTableWriter
    private var words: [UInt64] = [0, 0, 0]
    public let name: String

    static func layout(name: String, indexColumn: String) -> RecordTableLayout {
        RecordTableLayout(
            stem: "traces." + name, groupColumn: nil, groups: [""],
            columns: [ColumnSchema("time_ms", .float64), ColumnSchema(indexColumn, .uint64), ColumnSchema("value", .float64)],
            hdf5GroupPath: { _ in "/traces/" + name },
            hdf5DatasetNames: ["time_ms", indexColumn, "value"],
            hdf5DatasetAttributes: [[("units", "ms")], [], []],
            sortingColumn: nil)
    }

    public init(directory: RunDirectory, name: String, indexColumn: String = "neuron", formats: Set<OutputFormat>) throws {
        try validateFileComponent(name)
        guard indexColumn == "neuron" || indexColumn == "synapse" else {
            throw VesicleIOError.invalidArgument("trace index column must be 'neuron' or 'synapse', not '\(indexColumn)'")
        }
        self.name = name
        table = try RecordTableWriter(
            directory: directory.path, layout: Self.layout(name: name, indexColumn: indexColumn), formats: formats)
    }

    public func append(time: Double, index: Int, value: Double) throws {
        guard index >= 0 else { throw VesicleIOError.invalidArgument("negative index \(index) in trace \(name)") }
        words[0] = time.bitPattern
        words[1] = UInt64(index)
        words[2] = value.bitPattern
        try table.append(group: 0, words: words)
    }

    public var count: Int { table.counts[0] }

    @discardableResult
    public func finish(complete: Bool) throws -> [String] { try table.finish(complete: complete) }
}
