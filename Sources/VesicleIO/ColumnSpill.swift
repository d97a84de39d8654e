import Glibc

/// Fixed-width binary records (one 64-bit word per column) streamed to a hidden scratch file.
/// NumPy and HDF5 need every column's length before the first byte, so recorders spill here
/// during the run and assemble the real files at the end, in chunks: memory stays bounded by the
/// write buffer and the chunk size, however long the run.
final class ColumnSpill {
    let columns: Int
    private let file: AtomicOutputFile
    private(set) var records: Int = 0
    private var path: String { file.temporaryPath }

    /// Kept when the run ends because a checkpoint refers to it (`remove` then leaves the file, for
    /// a `vesicle resume` that reassembles the outputs from it, docs/CHECKPOINT.md).
    var isKept = false

    /// The scratch file's name in its directory, without the `.partial` it is written under.
    var fileName: String { String(file.finalPath.split(separator: "/").last ?? "") }
    /// Bytes of the records so far, and their SHA-256 (hex).
    var byteCount: Int { records * columns * 8 }
    func contentSHA256() throws -> String { try file.contentSHA256() }

    init(path: String, columns: Int) throws {
        self.columns = columns
        file = try AtomicOutputFile(path: path, bufferCapacity: 1 << 16)
    }

    /// Reopens the scratch file of an interrupted run after its first `records` records (a
    /// checkpoint's position): what lies beyond was written after the checkpoint and is cut off.
    init(resuming path: String, columns: Int, records: Int) throws {
        self.columns = columns
        file = try AtomicOutputFile(resuming: path, length: records * columns * 8, bufferCapacity: 1 << 16, hashing: true)
        self.records = records
        isKept = true
    }

    /// Flushes and syncs the records so far to disk (a checkpoint's position).
    func sync() throws {
        try file.sync()
        isKept = true
    }

    func append(_ words: [UInt64]) throws {
        try file.writeLittleEndian(words)
        records += 1
    }

    func closeForReading() throws {
        try file.close()
    }

    /// Calls `body` with consecutive chunks of whole records (row-major words, little-endian
    /// decoded) and the number of records in the chunk.
    func forEachChunk(recordsPerChunk: Int = 8192, _ body: ([UInt64], Int) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw VesicleIOError.readFailed(path: path, reason: systemErrorText())
        }
        defer { close(descriptor) }
        var words = [UInt64](repeating: 0, count: recordsPerChunk * columns)
        var remaining = records
        while remaining > 0 {
            let chunk = min(remaining, recordsPerChunk)
            let byteCount = chunk * columns * 8
            var offset = 0
            try words.withUnsafeMutableBytes { raw in
                while offset < byteCount {
                    let got = read(descriptor, raw.baseAddress! + offset, byteCount - offset)
                    if got < 0, errno == EINTR { continue }
                    guard got > 0 else {
                        throw VesicleIOError.readFailed(
                            path: path, reason: got < 0 ? systemErrorText() : "scratch file is shorter than recorded")
                    }
                    offset += got
                }
            }
            for i in 0..<(chunk * columns) { words[i] = UInt64(littleEndian: words[i]) }
            try body(words, chunk)
            remaining -= chunk
        }
    }

    /// Deletes the scratch file, unless a checkpoint refers to it (`isKept`: then only closes it).
    func remove() {
        try? file.close()
        if !isKept { unlink(path) }
    }

    /// Deletes the scratch file once the files it was assembled into are complete, whatever refers
    /// to it: a resume writes it anew from them (ColumnSpill+Rebuild.swift).
    func removeAssembled() {
        try? file.close()
        unlink(path)
        isKept = false
    }
}
