import Foundation

// A finished run keeps no scratch column files (docs/CHECKPOINT.md, Resuming): its NumPy and HDF5
// files hold every word the scratch files held, so a `vesicle resume` that needs one (extending a
// finished run with --duration, or resuming a run stopped by a signal) writes it anew from them,
// the first `records` records of each column, and accepts it only if its SHA-256 is the one the
// checkpoint recorded for the scratch file it continues.

extension ColumnSpill {
    /// The scratch file `path` (under its `.partial` name) exists.
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: AtomicOutputFile.temporaryPath(for: path))
    }

    /// Writes the scratch file `path` (its `.partial`) from `columns`, one array of raw words per
    /// column, each at least `records` long: records 0 ..< `records`, row-major. Throws, and leaves no
    /// file, unless the bytes' SHA-256 is `sha256`.
    /// - Complexity: O(records × columns).
    static func rebuild(path: String, columns: [[UInt64]], records: Int, sha256: String, from source: String) throws {
        for (c, column) in columns.enumerated() where column.count < records {
            throw VesicleIOError.invalidArgument("cannot write the scratch file \(path) anew from \(source): column \(c) holds \(column.count) values, the checkpoint continues after \(records)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records * columns.count * 8)
        for r in 0..<records {
            for column in columns { withUnsafeBytes(of: column[r].littleEndian) { bytes.append(contentsOf: $0) } }
        }
        let digest = SHA256.hex(of: SHA256.hash(bytes))
        guard digest == sha256 else {
            throw VesicleIOError.invalidArgument("cannot write the scratch file \(path) anew from \(source): its first \(records) records are not those the checkpoint recorded (SHA-256 \(digest.prefix(16))… now, \(sha256.prefix(16))… then)")
        }
        let file = try AtomicOutputFile(path: path, bufferCapacity: 1 << 16)
        try file.write(bytes)
        try file.close()
    }

    /// Column `column` of the `records` first records of the scratch file `path` of `columns` columns.
    /// - Complexity: O(records × columns).
    static func column(_ column: Int, of path: String, columns: Int, records: Int) throws -> [UInt64] {
        let temporary = AtomicOutputFile.temporaryPath(for: path)
        guard let data = FileManager.default.contents(atPath: temporary), data.count >= records * columns * 8 else {
            throw VesicleIOError.readFailed(path: temporary, reason: "it holds fewer than \(records) records")
        }
        return data.withUnsafeBytes { raw in
            (0..<records).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: ($0 * columns + column) * 8, as: UInt64.self)) }
        }
    }
}

extension NumpyColumn {
    /// The raw 64-bit words, as the scratch files hold them (`bitPattern` for float64).
    var words: [UInt64] {
        switch self {
        case .float64(let v): return v.map(\.bitPattern)
        case .uint64(let v): return v
        }
    }
}
