import Foundation

/// Everything that can go wrong reading or writing Vesicle's files, phrased for the person who
/// ran the command: each case names the path.
public enum VesicleIOError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The output directory already holds a run and `--force` was not given.
    case outputExists(path: String)
    /// The output directory cannot be created or written.
    case notWritable(path: String, reason: String)
    /// A write failed (for example, the disk is full); the file is left under its temporary name.
    case writeFailed(path: String, reason: String)
    /// A file could not be opened or read.
    case readFailed(path: String, reason: String)
    /// A file exists but is not in the format its name promises.
    case malformed(path: String, reason: String)
    /// A name (population, trace) cannot be used in a file name or HDF5 path.
    case invalidName(String, reason: String)
    /// An argument outside its range, e.g. a population index that was never declared.
    case invalidArgument(String)
    /// A writer was used after `finish`.
    case finished(path: String)

    public var description: String {
        switch self {
        case .outputExists(let path):
            return "output directory '\(path)' already contains a run; pass --force to overwrite it or choose a new directory"
        case .notWritable(let path, let reason):
            return "cannot write to '\(path)': \(reason)"
        case .writeFailed(let path, let reason):
            return "writing '\(path)' failed: \(reason)"
        case .readFailed(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .malformed(let path, let reason):
            return "'\(path)' is not a valid Vesicle file: \(reason)"
        case .invalidName(let name, let reason):
            return "invalid name '\(name)': \(reason)"
        case .invalidArgument(let message):
            return message
        case .finished(let path):
            return "'\(path)' was already finished"
        }
    }

    public var errorDescription: String? { description }
}

/// The text of the current `errno`.
func systemErrorText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
