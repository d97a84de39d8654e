/// Samples of several channels on one grid, stored channel-major: sample n of channel c is
/// `samples[c * length + n]`.
public struct MultichannelSignal: Sendable, Equatable {
    public let channels: Int
    public let length: Int
    public var samples: [Double]

    public init(channels: Int, length: Int, samples: [Double]) throws {
        guard channels >= 0, length >= 0, samples.count == channels * length else {
            throw ConvolutionError.shapeMismatch(
                "\(samples.count) samples do not make \(channels) channels of \(length)")
        }
        self.channels = channels
        self.length = length
        self.samples = samples
    }

    public init(zeros channels: Int, length: Int) {
        self.channels = channels
        self.length = length
        samples = Array(repeating: 0, count: channels * length)
    }

    /// One row per channel; all rows must have the same length.
    public init(rows: [[Double]]) throws {
        let length = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == length }) else {
            throw ConvolutionError.shapeMismatch("channels of different lengths")
        }
        try self.init(channels: rows.count, length: length, samples: rows.flatMap { $0 })
    }

    public subscript(channel: Int, sample: Int) -> Double {
        get { samples[channel * length + sample] }
        set { samples[channel * length + sample] = newValue }
    }

    public func channel(_ c: Int) -> ArraySlice<Double> {
        samples[(c * length)..<((c + 1) * length)]
    }
}

public enum ConvolutionError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let message): return "convolution: \(message)"
        case .invalidArgument(let message): return "convolution: \(message)"
        }
    }
}
