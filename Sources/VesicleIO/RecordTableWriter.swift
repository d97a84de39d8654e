/// Where a table's writer stands at a checkpoint: its CSV file's name and length in bytes, and its
/// per-group counts and order tracking (docs/CHECKPOINT.md, Recorders).
public struct RecordTablePosition: Equatable, Sendable {
    public var csvName: String
    public var csvBytes: Int
    public var counts: [Int]
    public var lastSortingValue: [Double]
    public var sorted: [Bool]

    public init(csvName: String, csvBytes: Int, counts: [Int], lastSortingValue: [Double], sorted: [Bool]) {
        self.csvName = csvName
        self.csvBytes = csvBytes
        self.counts = counts
        self.lastSortingValue = lastSortingValue
        self.sorted = sorted
    }
}

/// Streams records of a `RecordTableLayout` to every chosen format in bounded memory: CSV lines go
/// straight to disk, NumPy and HDF5 columns through a `ColumnSpill` per group and are assembled at
/// `finish`. All files live under `<name>.partial` until a complete `finish` renames them.
final class RecordTableWriter {
    let layout: RecordTableLayout
    let directory: String
    private let formats: Set<OutputFormat>
    private var csv: AtomicOutputFile?
    private var spills: [ColumnSpill] = []
    private var lastSortingValue: [Double]
    private var sorted: [Bool]
    private var isFinished = false
    private(set) var counts: [Int]

    init(directory: String, layout: RecordTableLayout, formats: Set<OutputFormat>) throws {
        guard !formats.isEmpty else { throw VesicleIOError.invalidArgument("no output format chosen for \(layout.stem)") }
        for group in layout.groups where layout.isGrouped { try validateFileComponent(group) }
        guard Set(layout.groups).count == layout.groups.count else {
            throw VesicleIOError.invalidArgument("duplicate names among \(layout.groups.joined(separator: ", "))")
        }
        self.layout = layout
        self.directory = directory
        self.formats = formats
        counts = Array(repeating: 0, count: layout.groups.count)
        lastSortingValue = Array(repeating: -.infinity, count: layout.groups.count)
        sorted = Array(repeating: true, count: layout.groups.count)
        if formats.contains(.csv) {
            let file = try AtomicOutputFile(path: path(layout.csvName()), bufferCapacity: 1 << 20)
            let names = (layout.groupColumn.map { [$0] } ?? []) + layout.columns.map(\.name)
            try file.write(names.joined(separator: ",") + "\n")
            csv = file
        }
        if formats.contains(.npy) || formats.contains(.hdf5) {
            for (g, _) in layout.groups.enumerated() {
                spills.append(try ColumnSpill(path: path(".spill-\(layout.stem)-\(g).bin"), columns: layout.columns.count))
            }
        }
    }

    /// Reopens the table of an interrupted run at a checkpoint's `position` (docs/CHECKPOINT.md,
    /// Recorders): CSV only, whose bytes are final as they are written; NumPy and HDF5 are
    /// assembled from scratch columns at the end and are refused at `--checkpoint-every`.
    init(directory: String, layout: RecordTableLayout, resumingAt position: RecordTablePosition) throws {
        guard position.counts.count == layout.groups.count, position.lastSortingValue.count == layout.groups.count,
              position.sorted.count == layout.groups.count, position.csvName == layout.csvName() else {
            throw VesicleIOError.invalidArgument("the checkpoint's position of \(position.csvName) does not fit \(layout.csvName())")
        }
        self.layout = layout
        self.directory = directory
        formats = [.csv]
        counts = position.counts
        lastSortingValue = position.lastSortingValue
        sorted = position.sorted
        csv = try AtomicOutputFile(resuming: directory + "/" + layout.csvName(), length: position.csvBytes, bufferCapacity: 1 << 20)
    }

    /// Syncs the table to disk and returns where it stands, for a checkpoint.
    func checkpointPosition() throws -> RecordTablePosition {
        guard let csv, spills.isEmpty, !isFinished else {
            throw VesicleIOError.invalidArgument("\(layout.stem): only CSV output can be checkpointed")
        }
        try csv.sync()
        return RecordTablePosition(csvName: layout.csvName(), csvBytes: csv.bytesWritten, counts: counts,
                                   lastSortingValue: lastSortingValue, sorted: sorted)
    }

    deinit {
        for spill in spills { spill.remove() }
    }

    private func path(_ name: String) -> String { directory + "/" + name }

    /// Appends one record; `words` holds each column's value as raw 64-bit words (`bitPattern`
    /// for float64).
    func append(group: Int, words: [UInt64]) throws {
        guard !isFinished else { throw VesicleIOError.finished(path: path(layout.stem)) }
        guard layout.groups.indices.contains(group) else {
            throw VesicleIOError.invalidArgument(
                "\(layout.groupColumn ?? "group") index \(group) is outside 0..<\(layout.groups.count)")
        }
        if let column = layout.sortingColumn {
            let value = Double(bitPattern: words[column])
            if value < lastSortingValue[group] { sorted[group] = false }
            lastSortingValue[group] = value
        }
        if let csv {
            var line = layout.isGrouped ? layout.groups[group] + "," : ""
            for (c, schema) in layout.columns.enumerated() {
                if c > 0 { line += "," }
                switch schema.kind {
                case .float64: line += Double(bitPattern: words[c]).description
                case .uint64: line += words[c].description
                }
            }
            line += "\n"
            try csv.write(line)
        }
        if !spills.isEmpty { try spills[group].append(words) }
        counts[group] += 1
    }

    /// Flushes and assembles every file. With `complete`, files are renamed to their final
    /// names; otherwise they stay readable under `<name>.partial`. Returns the names written.
    @discardableResult
    func finish(complete: Bool) throws -> [String] {
        guard !isFinished else { return [] }
        isFinished = true
        var written: [String] = []
        let suffix = complete ? "" : ".partial"
        if let csv {
            if complete { try csv.commit() } else { try csv.close() }
            written.append(layout.csvName() + suffix)
        }
        for spill in spills { try spill.closeForReading() }
        if formats.contains(.npy) {
            for (g, spill) in spills.enumerated() {
                for (c, schema) in layout.columns.enumerated() {
                    let name = layout.numpyName(group: g, column: c)
                    try NumpyFormat.write(spill: spill, column: c, kind: schema.kind, path: path(name), complete: complete)
                    written.append(name + suffix)
                }
            }
        }
        if formats.contains(.hdf5) {
            try writeHDF5(complete: complete)
            written.append(layout.hdf5Name() + suffix)
        }
        for spill in spills { spill.remove() }
        spills.removeAll()
        return written
    }

    private func writeHDF5(complete: Bool) throws {
        let finalPath = path(layout.hdf5Name())
        let temporaryPath = AtomicOutputFile.temporaryPath(for: finalPath)
        let file = try HDF5File.create(path: temporaryPath)
        for (g, spill) in spills.enumerated() {
            let groupPath = layout.hdf5GroupPath(layout.groups[g])
            try file.createGroups(groupPath)
            for (c, schema) in layout.columns.enumerated() {
                let datasetPath = groupPath + "/" + layout.hdf5DatasetNames[c]
                try file.writeDataset(datasetPath, kind: schema.kind, count: spill.records) { sink in
                    try spill.forEachChunk { words, records in
                        var column = [UInt64](repeating: 0, count: records)
                        for r in 0..<records { column[r] = words[r * spill.columns + c] }
                        try sink(column[...])
                    }
                }
                for (name, value) in layout.hdf5DatasetAttributes[c] {
                    try file.setAttribute(name, value: value, on: datasetPath)
                }
            }
            if layout.sortingColumn != nil {
                try file.setAttribute("sorting", value: sorted[g] ? "by_time" : "none", on: groupPath)
            }
        }
        try file.close()
        if complete { try AtomicOutputFile.rename(temporaryPath, to: finalPath) }
    }
}
