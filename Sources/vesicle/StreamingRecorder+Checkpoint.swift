import VesicleIO
import VesicleModel

/// Where every recorder of a spiking run stands at a checkpoint (docs/CHECKPOINT.md, Recorders):
/// each table's CSV file and its length, keyed by the table's stem (`spikes`, `release`,
/// `traces.<name>`), and the counts the metadata reports.
struct RecorderPosition: Equatable {
    var tables: [String: RecordTablePosition]
    var spikeCounts: [Int]
    var releaseCount: Int
    /// The run's output formats (`csv`, `npy`, `hdf5`, sorted): a resume writes the same.
    var formats: [String]

    func encode(into encoder: inout CheckpointEncoder) {
        encoder.section("recorders")
        encoder.ints(spikeCounts)
        encoder.int(releaseCount)
        Self.encodeList(formats, into: &encoder)
        encoder.int(tables.count)
        for (key, table) in tables.sorted(by: { $0.key < $1.key }) {
            encoder.string(key)
            Self.encodeList(table.formats, into: &encoder)
            encoder.string(table.csvName)
            encoder.int(table.csvBytes)
            encoder.string(table.csvSHA256)
            Self.encodeList(table.spills, into: &encoder)
            encoder.ints(table.counts)
            encoder.doubles(table.lastSortingValue)
            encoder.int(table.sorted.count)
            for flag in table.sorted { encoder.bool(flag) }
            encoder.bool(table.report != nil)
            if let report = table.report {
                encoder.doubles(report.times)
                encoder.int(report.elements.count)
                for element in report.elements { encoder.u64(element) }
                encoder.int(report.column)
                encoder.string(report.irregularity ?? "")
                Self.encodeList(report.spill.map { [$0] } ?? [], into: &encoder)
            }
        }
    }

    private static func encodeList(_ strings: [String], into encoder: inout CheckpointEncoder) {
        encoder.int(strings.count)
        for string in strings { encoder.string(string) }
    }

    private static func encodeList(_ files: [ContinuedFile], into encoder: inout CheckpointEncoder) {
        encoder.int(files.count)
        for file in files {
            encoder.string(file.name)
            encoder.int(file.bytes)
            encoder.string(file.sha256)
        }
    }

    private static func decodeStrings(_ decoder: inout CheckpointDecoder, _ what: String) throws -> [String] {
        let n = try decoder.int()
        guard (0...16).contains(n) else { throw CheckpointError("\(n) \(what)") }
        var strings: [String] = []
        for _ in 0..<n { strings.append(try decoder.string()) }
        return strings
    }

    private static func decodeFormats(_ decoder: inout CheckpointDecoder, _ what: String) throws -> [String] {
        let names = try decodeStrings(&decoder, what)
        for name in names where OutputFormat(rawValue: name) == nil { throw CheckpointError("unknown output format '\(name)' of \(what)") }
        guard !names.isEmpty, Set(names).count == names.count else { throw CheckpointError("output formats \(names) of \(what)") }
        return names
    }

    /// A file a recorder continues: a plain name in the run directory, a length that is not negative.
    private static func decodeFiles(_ decoder: inout CheckpointDecoder, _ what: String) throws -> [ContinuedFile] {
        let n = try decoder.int()
        guard (0...4096).contains(n) else { throw CheckpointError("\(n) scratch files of \(what)") }
        var files: [ContinuedFile] = []
        for _ in 0..<n {
            let file = ContinuedFile(name: try decoder.string(), bytes: try decoder.int(), sha256: try decoder.string())
            guard file.name.hasPrefix(".spill-"), !file.name.contains("/"), file.bytes >= 0, file.bytes % 8 == 0 else {
                throw CheckpointError("scratch file '\(file.name)' of \(file.bytes) bytes cannot be in a run directory")
            }
            files.append(file)
        }
        return files
    }

    init(tables: [String: RecordTablePosition], spikeCounts: [Int], releaseCount: Int, formats: [String]) {
        self.tables = tables
        self.spikeCounts = spikeCounts
        self.releaseCount = releaseCount
        self.formats = formats
    }

    init(checkpoint decoder: inout CheckpointDecoder) throws {
        try decoder.section("recorders")
        spikeCounts = try decoder.ints("spike counts")
        releaseCount = try decoder.int()
        formats = try Self.decodeFormats(&decoder, "the run")
        let n = try decoder.int()
        guard (0...4096).contains(n) else { throw CheckpointError("\(n) recorder tables") }
        tables = [:]
        for _ in 0..<n {
            let key = try decoder.string()
            let tableFormats = try Self.decodeFormats(&decoder, key)
            let name = try decoder.string()
            let bytes = try decoder.int()
            let csvSHA256 = try decoder.string()
            let spills = try Self.decodeFiles(&decoder, key)
            let counts = try decoder.ints("\(key) counts")
            let last = try decoder.doubles(expected: counts.count, "\(key) order")
            let m = try decoder.int()
            try CheckpointDecoder.require(m, equals: counts.count, "\(key) order flags")
            var sorted: [Bool] = []
            for _ in 0..<m { sorted.append(try decoder.bool()) }
            guard !name.contains("/"), !name.hasPrefix("."), bytes >= 0 else {
                throw CheckpointError("recorder file '\(name)' of \(bytes) bytes cannot be in a run directory")
            }
            var report: TraceReportPosition?
            if try decoder.bool() {
                let times = try decoder.doubles("\(key) dense times")
                let m = try decoder.int()
                guard (0...(1 << 32)).contains(m) else { throw CheckpointError("\(m) dense elements of \(key)") }
                var elements: [UInt64] = []
                elements.reserveCapacity(m)
                for _ in 0..<m { elements.append(try decoder.u64()) }
                let column = try decoder.int()
                let irregularity = try decoder.string()
                let spill = try Self.decodeFiles(&decoder, key + " dense form")
                guard spill.count <= 1 else { throw CheckpointError("\(spill.count) dense scratch files of \(key)") }
                report = TraceReportPosition(times: times, elements: elements, column: column,
                                             irregularity: irregularity.isEmpty ? nil : irregularity, spill: spill.first)
            }
            tables[key] = RecordTablePosition(formats: tableFormats, csvName: name, csvBytes: bytes, csvSHA256: csvSHA256, spills: spills, counts: counts,
                                              lastSortingValue: last, sorted: sorted, report: report)
        }
    }
}

extension StreamingRecorder {
    static let rasterKey = "spikes"
    static let releaseKey = "release"

    /// Syncs every file and returns the recorders' position.
    func checkpointPosition() throws -> RecorderPosition {
        if let failure { throw failure }
        var tables: [String: RecordTablePosition] = [:]
        if let raster { tables[Self.rasterKey] = try raster.checkpointPosition() }
        if let releases { tables[Self.releaseKey] = try releases.checkpointPosition() }
        if let posteriors {
            tables["traces.mu"] = try posteriors.mu.checkpointPosition()
            tables["traces.sigma2"] = try posteriors.sigma2.checkpointPosition()
        }
        for (_, trace) in traces { tables["traces." + trace.name] = try trace.checkpointPosition() }
        for (_, trace) in weightTraces { tables["traces." + trace.name] = try trace.checkpointPosition() }
        return RecorderPosition(tables: tables, spikeCounts: spikeCounts, releaseCount: releaseCount,
                                formats: formats.map(\.rawValue).sorted())
    }
}
