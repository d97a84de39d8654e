/// Streams release events (docs/MODEL.md §3: every release is recordable) to `release.csv`
/// (`time_ms,synapse,pre,post,amplitude,mu,sigma2`), `release.<column>.npy` and `release.h5`
/// (`/release/<column>`; `time_ms` carries `units` = "ms").
public final class ReleaseLogWriter {
    private let table: RecordTableWriter
    private var words = [UInt64](repeating: 0, count: 7)

    static let layout = RecordTableLayout(
        stem: "release", groupColumn: nil, groups: [""],
        columns: [
            ColumnSchema("time_ms", .float64), ColumnSchema("synapse", .uint64), ColumnSchema("pre", .uint64),
            ColumnSchema("post", .uint64), ColumnSchema("amplitude", .float64), ColumnSchema("mu", .float64),
            ColumnSchema("sigma2", .float64),
        ],
        hdf5GroupPath: { _ in "/release" },
        hdf5DatasetNames: ["time_ms", "synapse", "pre", "post", "amplitude", "mu", "sigma2"],
        hdf5DatasetAttributes: [[("units", "ms")], [], [], [], [], [], []],
        sortingColumn: nil)

    public init(directory: RunDirectory, formats: Set<OutputFormat>) throws {
        table = try RecordTableWriter(directory: directory.path, layout: Self.layout, formats: formats)
    }

    /// Reopens the release log of an interrupted run at a checkpoint's position (CSV only).
    public init(directory: RunDirectory, resumingAt position: RecordTablePosition) throws {
        table = try RecordTableWriter(directory: directory.path, layout: Self.layout, resumingAt: position)
    }

    /// Syncs the log and returns its position, for a checkpoint.
    public func checkpointPosition() throws -> RecordTablePosition { try table.checkpointPosition() }

    /// Records one release: the released PSP `amplitude` and the posterior (`mu`, `sigma2`) at that moment.
    public func append(
        time: Double, synapse: Int, pre: Int, post: Int, amplitude: Double, mu: Double, sigma2: Double
    ) throws {
        guard synapse >= 0, pre >= 0, post >= 0 else {
            throw VesicleIOError.invalidArgument("negative index in release (synapse \(synapse), pre \(pre), post \(post))")
        }
        words[0] = time.bitPattern
        words[1] = UInt64(synapse)
        words[2] = UInt64(pre)
        words[3] = UInt64(post)
        words[4] = amplitude.bitPattern
        words[5] = mu.bitPattern
        words[6] = sigma2.bitPattern
        try table.append(group: 0, words: words)
    }

    public var count: Int { table.counts[0] }

    @discardableResult
    public func finish(complete: Bool) throws -> [String] { try table.finish(complete: complete) }
}
