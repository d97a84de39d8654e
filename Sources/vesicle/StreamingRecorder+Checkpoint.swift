import VesicleIO
import VesicleModel

/// Where every recorder of a spiking run stands at a checkpoint (docs/CHECKPOINT.md, Recorders):
/// each table's CSV file and its length, keyed by the table's stem (`spikes`, `release`,
/// `traces.<name>`), and the counts the metadata reports.
struct RecorderPosition: Equatable {
    var tables: [String: RecordTablePosition]
    var spikeCounts: [Int]
    var releaseCount: Int

    func encode(into encoder: inout CheckpointEncoder) {
        encoder.section("recorders")
        encoder.ints(spikeCounts)
        encoder.int(releaseCount)
        encoder.int(tables.count)
        for (key, table) in tables.sorted(by: { $0.key < $1.key }) {
            encoder.string(key)
            encoder.string(table.csvName)
            encoder.int(table.csvBytes)
            encoder.ints(table.counts)
            encoder.doubles(table.lastSortingValue)
            encoder.int(table.sorted.count)
            for flag in table.sorted { encoder.bool(flag) }
        }
    }

    init(tables: [String: RecordTablePosition], spikeCounts: [Int], releaseCount: Int) {
        self.tables = tables
        self.spikeCounts = spikeCounts
        self.releaseCount = releaseCount
    }

    init(checkpoint decoder: inout CheckpointDecoder) throws {
        try decoder.section("recorders")
        spikeCounts = try decoder.ints("spike counts")
        releaseCount = try decoder.int()
        let n = try decoder.int()
        guard (0...4096).contains(n) else { throw CheckpointError("\(n) recorder tables") }
        tables = [:]
        for _ in 0..<n {
            let key = try decoder.string()
            let name = try decoder.string()
            let bytes = try decoder.int()
            let counts = try decoder.ints("\(key) counts")
            let last = try decoder.doubles(expected: counts.count, "\(key) order")
            let m = try decoder.int()
            try CheckpointDecoder.require(m, equals: counts.count, "\(key) order flags")
            var sorted: [Bool] = []
            for _ in 0..<m { sorted.append(try decoder.bool()) }
            guard !name.contains("/"), !name.hasPrefix("."), bytes >= 0 else {
                throw CheckpointError("recorder file '\(name)' of \(bytes) bytes cannot be in a run directory")
            }
            tables[key] = RecordTablePosition(csvName: name, csvBytes: bytes, counts: counts, lastSortingValue: last, sorted: sorted)
        }
    }
}

extension StreamingRecorder {
    static let rasterKey = "spikes"
    static let releaseKey = "release"

    /// Syncs every file and returns the recorders' position. Refuses `record weights` (STDP runs are
    /// not checkpointed) and NumPy or HDF5 output (`RecordTableWriter.checkpointPosition`).
    func checkpointPosition() throws -> RecorderPosition {
        if let failure { throw failure }
        guard weightTraces.isEmpty else { throw CheckpointError("weight traces are not checkpointed yet") }
        var tables: [String: RecordTablePosition] = [:]
        if let raster { tables[Self.rasterKey] = try raster.checkpointPosition() }
        if let releases { tables[Self.releaseKey] = try releases.checkpointPosition() }
        if let posteriors {
            tables["traces.mu"] = try posteriors.mu.checkpointPosition()
            tables["traces.sigma2"] = try posteriors.sigma2.checkpointPosition()
        }
        for (_, trace) in traces { tables["traces." + trace.name] = try trace.checkpointPosition() }
        return RecorderPosition(tables: tables, spikeCounts: spikeCounts, releaseCount: releaseCount)
    }
}
