/// Bad kernel input: every case says what was wrong and, for files, where.
public enum KernelError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(String)
    case fileUnreadable(path: String, reason: String)
    case fileEmpty(path: String)
    case nonNumeric(path: String, line: Int, text: String)
    case nonFinite(path: String, line: Int, text: String)
    case stepDoesNotDivideGrid(step: Double, dt: Double)
    case tooLong(samples: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidParameter(let message):
            return "invalid kernel: \(message)"
        case .fileUnreadable(let path, let reason):
            return "\(path): cannot read kernel file: \(reason)"
        case .fileEmpty(let path):
            return "\(path):1: kernel file holds no values (expected one number per line)"
        case .nonNumeric(let path, let line, let text):
            return "\(path):\(line): '\(text)' is not a number (expected one kernel value per line)"
        case .nonFinite(let path, let line, let text):
            return "\(path):\(line): kernel value '\(text)' is not finite"
        case .stepDoesNotDivideGrid(let step, let dt):
            return "kernel step \(step) ms does not divide the simulation grid dt = \(dt) ms: "
                + "dt / step = \(dt / step) must be a whole number; resample the kernel at a step that divides dt"
        case .tooLong(let samples, let limit):
            return "kernel would need \(samples) samples on this grid (limit \(limit)); use a coarser dt or a fixed length"
        }
    }
}
