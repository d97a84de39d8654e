import Foundation

/// The dense form of a trace, for tools that expect one (docs/LANGUAGE.md, "Recording and output"):
/// a matrix with one row per sample time and one column per neuron or synapse, written as
///
/// - NumPy: `traces.<name>.matrix.npy` (`<f8`, shape (times, elements)), with
///   `traces.<name>.matrix.time_ms.npy` and `traces.<name>.matrix.<index>.npy` for the axes;
/// - SONATA report (`traces.<name>.report.h5`): `/report/<population>/data` (times x elements,
///   attribute `units`), `/report/<population>/mapping/node_ids`, `element_ids` (zeros: one
///   element per node), `index_pointers` (0...n) and `time` ([start, stop, step] ms, attribute
///   `units = ms`), plus `mapping/time_ms` with each row's exact time;
/// - `traces.<name>.json`: quantity, unit, time unit, index kind, population, element ids, the
///   time grid, and the files written (for every format, CSV included).
///
/// Samples must arrive in (time, index) order with the same indices at every time, as the engine's
/// samplers emit them. When they do not (a trace appended to by hand, a neuron missing at one
/// time), there is no matrix: the JSON says why and the long table stays the record.
/// Where a trace's dense form stands at a checkpoint: its time grid and elements so far, the column
/// the next sample fills, why it has no matrix (if so), and its scratch matrix file.
public struct TraceReportPosition: Equatable, Sendable {
    public var times: [Double]
    public var elements: [UInt64]
    public var column: Int
    public var irregularity: String?
    public var spill: ContinuedFile?

    public init(times: [Double], elements: [UInt64], column: Int, irregularity: String?, spill: ContinuedFile?) {
        self.times = times
        self.elements = elements
        self.column = column
        self.irregularity = irregularity
        self.spill = spill
    }
}

final class TraceReport {
    let directory: String
    let name: String
    let indexColumn: String
    let unit: String?
    let quantity: String?
    let population: String
    private var spill: ColumnSpill?
    private(set) var times: [Double] = []
    private(set) var elements: [UInt64] = []
    private var column = 0
    private(set) var irregularity: String?

    init(directory: String, name: String, indexColumn: String, unit: String?, quantity: String?, population: String?,
         dense: Bool) throws {
        self.directory = directory
        self.name = name
        self.indexColumn = indexColumn
        self.unit = unit
        self.quantity = quantity
        self.population = population ?? name
        spill = dense ? try ColumnSpill(path: directory + "/" + TraceReport.spillName(name), columns: 1) : nil
        if !dense { irregularity = "no npy or hdf5 output was chosen" }
    }

    /// Reopens the dense form of an interrupted run at a checkpoint's position.
    /// `values`: the long table's values, from which a scratch matrix a finished run removed is
    /// written anew (the dense form's words are the values in the order they came).
    init(directory: String, name: String, indexColumn: String, unit: String?, quantity: String?, population: String?,
         resumingAt position: TraceReportPosition, values: (Int) throws -> [UInt64]) throws {
        self.directory = directory
        self.name = name
        self.indexColumn = indexColumn
        self.unit = unit
        self.quantity = quantity
        self.population = population ?? name
        times = position.times
        elements = position.elements
        column = position.column
        irregularity = position.irregularity
        if let file = position.spill {
            guard file.name == TraceReport.spillName(name), file.bytes % 8 == 0 else {
                throw VesicleIOError.invalidArgument("the checkpoint's dense form of trace \(name) does not fit it")
            }
            let scratch = directory + "/" + file.name
            if !ColumnSpill.exists(scratch) {
                try ColumnSpill.rebuild(path: scratch, columns: [try values(file.bytes / 8)], records: file.bytes / 8,
                                        sha256: file.sha256, from: "the values of traces.\(name)")
            }
            spill = try ColumnSpill(resuming: scratch, columns: 1, records: file.bytes / 8)
        }
    }

    static func spillName(_ name: String) -> String { ".spill-traces.\(name)-matrix.bin" }

    /// Syncs the scratch matrix and returns where the dense form stands, for a checkpoint.
    func checkpointPosition() throws -> TraceReportPosition {
        try spill?.sync()
        return TraceReportPosition(times: times, elements: elements, column: column, irregularity: irregularity,
                                   spill: try spill.map { ContinuedFile(name: $0.fileName, bytes: $0.byteCount, sha256: try $0.contentSHA256()) })
    }

    deinit { spill?.remove() }

    private func abandon(_ reason: String) {
        guard irregularity == nil else { return }
        irregularity = reason
        spill?.remove()
        spill = nil
    }

    func append(time: Double, index: UInt64, value: Double) throws {
        guard irregularity == nil, let spill else { return }
        if times.isEmpty || time != times[times.count - 1] {
            if let last = times.last {
                guard time > last else { return abandon("sample times are not increasing (\(time) ms after \(last) ms)") }
                guard times.count == 1 || column == elements.count else {
                    return abandon("at \(last) ms, \(column) of \(elements.count) \(indexColumn)s were sampled")
                }
            }
            times.append(time)
            column = 0
        }
        if times.count == 1 {
            if let last = elements.last, index <= last {
                return abandon("\(indexColumn) \(index) follows \(last) at \(time) ms")
            }
            elements.append(index)
        } else {
            guard column < elements.count, elements[column] == index else {
                return abandon("at \(time) ms \(indexColumn) \(index) is sampled where \(column < elements.count ? "\(elements[column])" : "none") was expected")
            }
        }
        column += 1
        try spill.append([value.bitPattern])
    }

    /// The names of the files written; nothing but the JSON when the trace is not dense.
    func finish(formats: Set<OutputFormat>, longFiles: [String]) throws -> [String] {
        // Whatever becomes of the dense form, a complete end keeps no scratch matrix (the long table
        // holds its words: a resume writes it anew, ColumnSpill+Rebuild.swift).
        let scratch = spill
        defer { scratch?.removeAssembled() }
        if irregularity == nil, times.count > 1, column != elements.count {
            abandon("the last time, \(times[times.count - 1]) ms, has \(column) of \(elements.count) \(indexColumn)s")
        }
        if irregularity == nil, times.isEmpty { abandon("no samples") }
        var written: [String] = []
        if irregularity == nil, let spill {
            try spill.closeForReading()
            let stem = "traces." + name
            if formats.contains(.npy) {
                try writeNumpyMatrix(spill: spill, path: directory + "/" + stem + ".matrix.npy")
                try NumpyFormat.write(.float64(times), to: directory + "/" + stem + ".matrix.time_ms.npy")
                try NumpyFormat.write(.uint64(elements), to: directory + "/" + stem + ".matrix.\(indexColumn).npy")
                written += [stem + ".matrix.npy", stem + ".matrix.time_ms.npy", stem + ".matrix.\(indexColumn).npy"]
            }
            if formats.contains(.hdf5) {
                try writeSONATA(spill: spill, path: directory + "/" + stem + ".report.h5")
                written.append(stem + ".report.h5")
            }
            spill.remove()
            self.spill = nil
        }
        let json = "traces.\(name).json"
        try writeDescription(path: directory + "/" + json, files: (longFiles + written + [json]).sorted())
        return written + [json]
    }

    /// The constant step of the time grid, or nil when the times are not evenly spaced (to 1e-9
    /// relative: sample times k * interval are exact products, their differences are not).
    var step: Double? {
        guard times.count > 1 else { return nil }
        let step = (times[times.count - 1] - times[0]) / Double(times.count - 1)
        for k in 1..<times.count where abs(times[k] - times[k - 1] - step) > 1e-9 * max(step, abs(times[k])) { return nil }
        return step
    }

    private func writeNumpyMatrix(spill: ColumnSpill, path: String) throws {
        let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(times.count), \(elements.count)), }"
        let unpadded = NumpyFormat.magic.count + 4 + dict.utf8.count + 1
        let padding = (64 - unpadded % 64) % 64
        let headerLength = dict.utf8.count + padding + 1
        let file = try AtomicOutputFile(path: path, bufferCapacity: 1 << 20)
        try file.write(NumpyFormat.magic + [1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)] + Array(dict.utf8)
                       + [UInt8](repeating: 0x20, count: padding) + [0x0A])
        try spill.forEachChunk { words, records in try file.writeLittleEndian(Array(words.prefix(records))) }
        try file.commit()
    }

    private func writeSONATA(spill: ColumnSpill, path: String) throws {
        let temporary = AtomicOutputFile.temporaryPath(for: path)
        let file = try HDF5File.create(path: temporary)
        let group = "/report/" + population
        try file.createGroups(group + "/mapping")
        let columns = elements.count
        try file.writeMatrix(group + "/data", rows: times.count, columns: columns) { sink in
            var pending: [UInt64] = []
            try spill.forEachChunk(recordsPerChunk: max(1, 8192 / columns) * columns) { words, records in
                pending += words.prefix(records)
                let whole = pending.count / columns * columns
                if whole > 0 {
                    try sink(pending[0..<whole])
                    pending.removeFirst(whole)
                }
            }
        }
        if let unit { try file.setAttribute("units", value: unit, on: group + "/data") }
        try file.setAttribute("index", value: indexColumn, on: group + "/mapping")
        func write(_ path: String, _ values: NumpyColumn) throws {
            switch values {
            case .float64(let v): try file.writeDataset(path, kind: .float64, count: v.count) { try $0(v.map(\.bitPattern)[...]) }
            case .uint64(let v): try file.writeDataset(path, kind: .uint64, count: v.count) { try $0(v[...]) }
            }
        }
        try write(group + "/mapping/node_ids", .uint64(elements))
        try write(group + "/mapping/element_ids", .uint64([UInt64](repeating: 0, count: columns)))
        try write(group + "/mapping/index_pointers", .uint64((0...columns).map(UInt64.init)))
        let dt = step ?? .nan
        try write(group + "/mapping/time", .float64([times[0], times[times.count - 1] + (dt.isFinite ? dt : 0), dt]))
        try file.setAttribute("units", value: "ms", on: group + "/mapping/time")
        try write(group + "/mapping/time_ms", .float64(times))
        try file.setAttribute("units", value: "ms", on: group + "/mapping/time_ms")
        try file.close()
        try AtomicOutputFile.rename(temporary, to: path)
    }

    private func writeDescription(path: String, files: [String]) throws {
        var description: [String: Any] = [
            "trace": name, "population": population, "index": indexColumn, "time_unit": "ms",
            "unit": unit ?? NSNull(), "quantity": quantity ?? NSNull(), "files": files,
        ]
        if irregularity == nil {
            description["matrix"] = [
                "rows": times.count, "columns": elements.count, "elements": elements.map { NSNumber(value: $0) },
                "start_ms": times[0], "stop_ms": times[times.count - 1],
                "step_ms": step.map { $0 as Any } ?? NSNull(),
            ] as [String: Any]
        } else {
            description["matrix"] = NSNull()
            description["matrix_missing"] = irregularity ?? ""
        }
        let data = try JSONSerialization.data(withJSONObject: description, options: [.prettyPrinted, .sortedKeys])
        let file = try AtomicOutputFile(path: path)
        try file.write([UInt8](data) + [0x0A])
        try file.commit()
    }
}
