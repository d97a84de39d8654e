/// One recorded state variable read back from any of the formats.
public struct Trace: Sendable, Equatable {
    public var name: String
    public var time: [Double]
    /// Neuron or synapse index of each sample.
    public var index: [UInt64]
    public var value: [Double]

    public init(name: String, time: [Double], index: [UInt64], value: [Double]) {
        self.name = name
        self.time = time
        self.index = index
        self.value = value
    }

    /// True when `directory` holds the trace `name` in any format.
    public static func exists(directory: String, name: String, indexColumn: String = "neuron") -> Bool {
        RecordTableReader.availableFormat(
            directory: directory, layout: TraceWriter.layout(name: name, indexColumn: indexColumn)) != nil
    }

    public static func read(
        directory: String, name: String, indexColumn: String = "neuron", format: OutputFormat? = nil
    ) throws -> Trace {
        let layout = TraceWriter.layout(name: name, indexColumn: indexColumn)
        guard let chosen = format ?? RecordTableReader.availableFormat(directory: directory, layout: layout) else {
            throw VesicleIOError.readFailed(path: directory, reason: "no trace '\(name)'")
        }
        let columns = try RecordTableReader.read(directory: directory, layout: layout, format: chosen).columns[0]
        return Trace(name: name, time: columns[0].doubles, index: columns[1].indices ?? [], value: columns[2].doubles)
    }

    /// The samples of one neuron or synapse, in recorded order.
    public func series(index wanted: UInt64) -> (time: [Double], value: [Double]) {
        var times: [Double] = []
        var values: [Double] = []
        for k in index.indices where index[k] == wanted {
            times.append(time[k])
            values.append(value[k])
        }
        return (times, values)
    }
}
