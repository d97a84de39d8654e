/// Streams a sampled state variable (a membrane potential, a posterior mean, a teacher weight) to
/// the long table `traces.<name>.csv` (`time_ms,<index>,value`), `traces.<name>.<column>.npy` and
/// `traces.<name>.h5` (`/traces/<name>/<column>`), and to its dense form (`TraceReport`: a NumPy
/// matrix, a SONATA report, and `traces.<name>.json` with the units). `indexColumn` is `neuron`
/// for neuron state and `synapse` for synaptic state. `vesicle plot release` looks for traces
/// named `mu`, `sigma2` and `teacher` (indexed by synapse), `vesicle plot membrane` for
/// `membrane_<population>`.
public final class TraceWriter {
    private let table: RecordTableWriter
    private let report: TraceReport
    private let formats: Set<OutputFormat>
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

    /// `unit` and `quantity` ("mV", "membrane potential") go into the metadata of the dense form;
    /// `population` names its SONATA group (default: the trace's name).
    public init(
        directory: RunDirectory, name: String, indexColumn: String = "neuron", formats: Set<OutputFormat>,
        unit: String? = nil, quantity: String? = nil, population: String? = nil
    ) throws {
        try validateFileComponent(name)
        guard indexColumn == "neuron" || indexColumn == "synapse" else {
            throw VesicleIOError.invalidArgument("trace index column must be 'neuron' or 'synapse', not '\(indexColumn)'")
        }
        self.name = name
        table = try RecordTableWriter(
            directory: directory.path, layout: Self.layout(name: name, indexColumn: indexColumn), formats: formats)
        if let population { try validateFileComponent(population) }
        self.formats = formats
        report = try TraceReport(
            directory: directory.path, name: name, indexColumn: indexColumn, unit: unit, quantity: quantity,
            population: population, dense: formats.contains(.npy) || formats.contains(.hdf5))
    }

    /// Reopens the trace of an interrupted run at a checkpoint's position, its dense form included.
    public init(
        directory: RunDirectory, name: String, indexColumn: String = "neuron", resumingAt position: RecordTablePosition,
        unit: String? = nil, quantity: String? = nil, population: String? = nil
    ) throws {
        try validateFileComponent(name)
        self.name = name
        formats = position.outputFormats
        table = try RecordTableWriter(
            directory: directory.path, layout: Self.layout(name: name, indexColumn: indexColumn), resumingAt: position)
        if let at = position.report {
            report = try TraceReport(
                directory: directory.path, name: name, indexColumn: indexColumn, unit: unit, quantity: quantity,
                population: population, resumingAt: at) { [table] records in
                    guard records <= table.counts[0] else {
                        throw VesicleIOError.invalidArgument("the dense form of trace \(name) holds \(records) values, its table \(table.counts[0])")
                    }
                    return try ColumnSpill.column(2, of: table.spillPath(group: 0), columns: 3, records: records)
                }
        } else {
            report = try TraceReport(
                directory: directory.path, name: name, indexColumn: indexColumn, unit: unit, quantity: quantity,
                population: population, dense: formats.contains(.npy) || formats.contains(.hdf5))
        }
    }

    /// Syncs the trace and returns its position, its dense form's included, for a checkpoint.
    public func checkpointPosition() throws -> RecordTablePosition {
        var position = try table.checkpointPosition()
        position.report = try report.checkpointPosition()
        return position
    }

    public func append(time: Double, index: Int, value: Double) throws {
        guard index >= 0 else { throw VesicleIOError.invalidArgument("negative index \(index) in trace \(name)") }
        words[0] = time.bitPattern
        words[1] = UInt64(index)
        words[2] = value.bitPattern
        try table.append(group: 0, words: words)
        try report.append(time: time, index: UInt64(index), value: value)
    }

    public var count: Int { table.counts[0] }

    /// Why the trace has no dense form, or nil when it has one.
    public var matrixMissingReason: String? { report.irregularity }

    /// Finishes the long table and, for a complete run, the dense form and the JSON description
    /// (an incomplete run keeps its long table under `.partial` names and writes no matrix).
    @discardableResult
    public func finish(complete: Bool) throws -> [String] {
        let long = try table.finish(complete: complete)
        guard complete else { return long }
        return long + (try report.finish(formats: formats, longFiles: long))
    }
}
