import Glibc

/// A file a resumed recorder goes on writing: its name in the run directory (it is written under
/// `<name>.partial`) and the bytes a checkpoint says were written to it.
public struct ContinuedFile: Equatable, Sendable {
    public var name: String
    public var bytes: Int
    /// The SHA-256 (hex) of those bytes: a resume refuses a file whose prefix differs.
    public var sha256: String
    public init(name: String, bytes: Int, sha256: String) {
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// Where a table's writer stands at a checkpoint (docs/CHECKPOINT.md, Recorders): its formats, its
/// CSV file's name and length in bytes (when CSV is among them), the scratch column files NumPy and
/// HDF5 are assembled from at the end (one per group, `counts[g]` records each), its per-group
/// counts and order tracking, and a trace's dense form (`report`).
public struct RecordTablePosition: Equatable, Sendable {
    public var formats: [String]
    public var csvName: String
    public var csvBytes: Int
    public var csvSHA256: String
    public var spills: [ContinuedFile]
    public var counts: [Int]
    public var lastSortingValue: [Double]
    public var sorted: [Bool]
    public var report: TraceReportPosition?

    public init(formats: [String] = ["csv"], csvName: String, csvBytes: Int, csvSHA256: String, spills: [ContinuedFile] = [],
                counts: [Int], lastSortingValue: [Double], sorted: [Bool], report: TraceReportPosition? = nil) {
        self.formats = formats
        self.csvName = csvName
        self.csvBytes = csvBytes
        self.csvSHA256 = csvSHA256
        self.spills = spills
        self.counts = counts
        self.lastSortingValue = lastSortingValue
        self.sorted = sorted
        self.report = report
    }

    /// The output formats, as `OutputFormat`s (unknown names dropped; a decoder has refused them).
    public var outputFormats: Set<OutputFormat> { Set(formats.compactMap(OutputFormat.init(rawValue:))) }

    /// Every file a resume continues: the CSV file, the scratch columns, the dense form's scratch.
    public var files: [ContinuedFile] {
        (formats.contains("csv") ? [ContinuedFile(name: csvName, bytes: csvBytes, sha256: csvSHA256)] : []) + spills
            + (report?.spill.map { [$0] } ?? [])
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
                spills.append(try ColumnSpill(path: path(Self.spillName(layout, g)), columns: layout.columns.count))
            }
        }
    }

    /// Reopens the table of an interrupted run at a checkpoint's `position` (docs/CHECKPOINT.md,
    /// Recorders): the CSV file, whose bytes are final as they are written, and the scratch columns
    /// NumPy and HDF5 are assembled from at the end, each cut back to the checkpoint's length.
    /// The NumPy and HDF5 files an earlier end assembled are removed: `finish` assembles them anew.
    init(directory: String, layout: RecordTableLayout, resumingAt position: RecordTablePosition) throws {
        let formats = position.outputFormats
        let spilled = formats.contains(.npy) || formats.contains(.hdf5)
        guard position.counts.count == layout.groups.count, position.lastSortingValue.count == layout.groups.count,
              position.sorted.count == layout.groups.count, position.csvName == layout.csvName(),
              !formats.isEmpty, formats.count == position.formats.count,
              position.spills.map(\.name) == (spilled ? layout.groups.indices.map { RecordTableWriter.spillName(layout, $0) } : []),
              zip(position.spills, position.counts).allSatisfy({ $0.bytes == $1 * layout.columns.count * 8 }) else {
            throw VesicleIOError.invalidArgument("the checkpoint's position of \(position.csvName) does not fit \(layout.csvName())")
        }
        self.layout = layout
        self.directory = directory
        self.formats = formats
        counts = position.counts
        lastSortingValue = position.lastSortingValue
        sorted = position.sorted
        if formats.contains(.csv) {
            csv = try AtomicOutputFile(resuming: directory + "/" + layout.csvName(), length: position.csvBytes, bufferCapacity: 1 << 20,
                                       hashing: true)
        }
        for (g, spill) in position.spills.enumerated() {
            let scratch = directory + "/" + spill.name
            // A finished run removed it; its NumPy or HDF5 files hold the same words (ColumnSpill+Rebuild.swift).
            if !ColumnSpill.exists(scratch) { try rebuildSpill(group: g, at: scratch, sha256: spill.sha256) }
            spills.append(try ColumnSpill(resuming: scratch, columns: layout.columns.count, records: counts[g]))
        }
        var assembled: [String] = []
        if formats.contains(.npy) {
            for g in layout.groups.indices { for c in layout.columns.indices { assembled.append(layout.numpyName(group: g, column: c)) } }
        }
        if formats.contains(.hdf5) { assembled.append(layout.hdf5Name()) }
        for name in assembled {
            unlink(directory + "/" + name)
            unlink(directory + "/" + AtomicOutputFile.temporaryPath(for: name))
        }
    }

    static func spillName(_ layout: RecordTableLayout, _ group: Int) -> String { ".spill-\(layout.stem)-\(group).bin" }

    /// Writes group g's scratch file anew from the table's NumPy columns, or else its HDF5 file:
    /// the first `counts[g]` records, checked against the checkpoint's SHA-256.
    private func rebuildSpill(group g: Int, at scratch: String, sha256: String) throws {
        let columns: [[UInt64]]
        let source: String
        if formats.contains(.npy) {
            source = layout.columns.indices.map { layout.numpyName(group: g, column: $0) }.joined(separator: ", ")
            columns = try layout.columns.indices.map { try NumpyFormat.read(path: path(layout.numpyName(group: g, column: $0))).words }
        } else {
            source = layout.hdf5Name()
            let file = try HDF5File.open(path: path(layout.hdf5Name()))
            defer { try? file.close() }
            let group = layout.hdf5GroupPath(layout.groups[g])
            columns = try layout.hdf5DatasetNames.map { try file.readDataset(group + "/" + $0).words }
        }
        try ColumnSpill.rebuild(path: scratch, columns: columns, records: counts[g], sha256: sha256, from: source)
    }

    /// The scratch file of group g (it exists once the table is made or resumed), to read a column back.
    func spillPath(group g: Int) -> String { path(Self.spillName(layout, g)) }

    /// Syncs the table to disk and returns where it stands, for a checkpoint. The scratch columns
    /// are kept from now on, whatever the run's end: the checkpoint refers to them.
    func checkpointPosition() throws -> RecordTablePosition {
        guard !isFinished else {
            throw VesicleIOError.invalidArgument("\(layout.stem): a finished table cannot be checkpointed")
        }
        try csv?.sync()
        for spill in spills { try spill.sync() }
        return RecordTablePosition(
            formats: formats.map(\.rawValue).sorted(), csvName: layout.csvName(), csvBytes: csv?.bytesWritten ?? 0,
            csvSHA256: try csv?.contentSHA256() ?? "",
            spills: try spills.map { ContinuedFile(name: $0.fileName, bytes: $0.byteCount, sha256: try $0.contentSHA256()) }, counts: counts,
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
        // A complete end removes the scratch files even when a checkpoint refers to them: the files
        // just assembled hold every word, and a resume writes them anew from those (docs/CHECKPOINT.md).
        for spill in spills { if complete { spill.removeAssembled() } else { spill.remove() } }
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
