/// A release log read back from any of the formats (docs/MODEL.md §3: one row per release).
public struct ReleaseLog: Sendable, Equatable {
    public var time: [Double]
    public var synapse: [UInt64]
    public var pre: [UInt64]
    public var post: [UInt64]
    public var amplitude: [Double]
    public var mu: [Double]
    public var sigma2: [Double]

    public init(
        time: [Double], synapse: [UInt64], pre: [UInt64], post: [UInt64],
        amplitude: [Double], mu: [Double], sigma2: [Double]
    ) {
        self.time = time
        self.synapse = synapse
        self.pre = pre
        self.post = post
        self.amplitude = amplitude
        self.mu = mu
        self.sigma2 = sigma2
    }

    public var count: Int { time.count }

    /// True when `directory` holds a release log in any format.
    public static func exists(directory: String) -> Bool {
        RecordTableReader.availableFormat(directory: directory, layout: ReleaseLogWriter.layout) != nil
    }

    public static func read(directory: String, format: OutputFormat? = nil) throws -> ReleaseLog {
        let layout = ReleaseLogWriter.layout
        guard let chosen = format ?? RecordTableReader.availableFormat(directory: directory, layout: layout) else {
            throw VesicleIOError.readFailed(path: directory, reason: "no release log (release.h5, release.*.npy or release.csv)")
        }
        let columns = try RecordTableReader.read(directory: directory, layout: layout, format: chosen).columns[0]
        return ReleaseLog(
            time: columns[0].doubles, synapse: columns[1].indices ?? [], pre: columns[2].indices ?? [],
            post: columns[3].indices ?? [], amplitude: columns[4].doubles, mu: columns[5].doubles,
            sigma2: columns[6].doubles)
    }
}
