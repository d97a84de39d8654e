import Foundation
import Glibc

/// Why a checkpoint file cannot be used (docs/CHECKPOINT.md, Refusals).
public enum CheckpointFileError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case truncated(path: String, size: Int, expected: Int)
    case notACheckpoint(path: String)
    case incompatibleVersion(path: String, found: UInt32, supported: UInt32)
    case checksumMismatch(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read checkpoint \(path): \(reason)"
        case .truncated(let path, let size, let expected):
            return "checkpoint \(path) is truncated: \(size) bytes where its header promises \(expected)"
        case .notACheckpoint(let path): return "\(path) is not a Vesicle checkpoint (its first bytes are not the format's magic)"
        case .incompatibleVersion(let path, let found, let supported):
            return "checkpoint \(path) has format version \(found); this vesicle reads version \(supported)"
        case .checksumMismatch(let path):
            return "checkpoint \(path) is corrupted: its SHA-256 does not match its contents"
        }
    }
}

/// The container of a checkpoint (docs/CHECKPOINT.md, File layout): magic, format version, payload
/// length, payload, and the SHA-256 of everything before it. Written atomically: a temporary name,
/// fsync, rename, fsync of the directory, so a checkpoint under its final name is whole.
public enum CheckpointFile {
    public static let magic: [UInt8] = Array("VSCKPT\r\n".utf8)
    /// Version 2: docs/CHECKPOINT.md (against version 1: NumPy and HDF5 positions, every network class,
    /// Bayesian rows' spike ordinals and counter-keyed drive streams). Version 3: noise currents drawn
    /// during the run, a `noise` section with each input's next step. Version 4: an STDP
    /// projection's pending post events by target, then synapse time (was synapse time), so that
    /// MPI ranks' parts follow one another. A reader refuses any other.
    public static let formatVersion: UInt32 = 4
    static let headerSize = 24
    static let digestSize = 32
    /// Checkpoints in a run directory are `.checkpoint-<window, 12 digits>.vsck`: hidden, so that
    /// they are not listed among the run's files, and ordered by name as by time.
    public static let prefix = ".checkpoint-"
    public static let suffix = ".vsck"

    public static func name(window: Int) -> String {
        prefix + String(repeating: "0", count: max(0, 12 - String(window).count)) + String(window) + suffix
    }

    /// The checkpoints in `directory`, oldest first.
    public static func list(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted()
    }

    /// The whole file for `payload`.
    static func encode(payload: [UInt8]) -> [UInt8] {
        var bytes = magic
        withUnsafeBytes(of: formatVersion.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [0, 0, 0, 0])
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: payload)
        bytes.append(contentsOf: SHA256.hash(bytes))
        return bytes
    }

    /// Writes `payload` as checkpoint `name` in `directory`, then removes all but the newest `keep`
    /// checkpoints. Returns the file's size in bytes.
    /// - Complexity: O(payload).
    @discardableResult
    public static func write(payload: [UInt8], name: String, directory: String, keep: Int = 2) throws -> Int {
        let bytes = encode(payload: payload)
        let file = try AtomicOutputFile(path: directory + "/" + name, bufferCapacity: 1 << 20)
        try file.write(bytes)
        try file.commit()
        let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); Glibc.close(dir) }
        let all = list(in: directory)
        for old in all.dropLast(keep) { unlink(directory + "/" + old) }
        return bytes.count
    }

    /// Reads and verifies a checkpoint; returns its payload.
    /// - Complexity: O(file size).
    public static func read(path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointFileError.unreadable(path: path, reason: "no such file or not readable")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw CheckpointFileError.notACheckpoint(path: path)
        }
        guard bytes.count >= headerSize else {
            throw CheckpointFileError.truncated(path: path, size: bytes.count, expected: headerSize + digestSize)
        }
        func word(_ at: Int, _ width: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in (0..<width).reversed() { v = v << 8 | UInt64(bytes[at + k]) }
            return v
        }
        let version = UInt32(word(8, 4))
        guard version == formatVersion else {
            throw CheckpointFileError.incompatibleVersion(path: path, found: version, supported: formatVersion)
        }
        let length = word(16, 8)
        guard length <= UInt64(Int.max - headerSize - digestSize),
              bytes.count == headerSize + Int(length) + digestSize else {
            let expected = length <= UInt64(Int.max / 2) ? headerSize + Int(length) + digestSize : Int.max
            if bytes.count < expected { throw CheckpointFileError.truncated(path: path, size: bytes.count, expected: expected) }
            throw CheckpointFileError.checksumMismatch(path: path)
        }
        let end = headerSize + Int(length)
        guard SHA256.hash(bytes[0..<end]) == Array(bytes[end...]) else { throw CheckpointFileError.checksumMismatch(path: path) }
        return Array(bytes[headerSize..<end])
    }
}
