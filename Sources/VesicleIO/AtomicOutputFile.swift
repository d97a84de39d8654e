import Glibc

/// A file written through a bounded buffer under the temporary name `<path>.partial` and renamed
/// to `<path>` only by `commit()`, so a file under its final name is always complete
/// (docs/DESIGN.md, "never leaves a half-written output file that looks complete").
/// Every failed `write` (a full disk, a lost mount) throws with the path and the system's reason.
final class AtomicOutputFile {
    let finalPath: String
    let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8]
    private let capacity: Int
    private(set) var bytesWritten: Int = 0
    /// A running SHA-256 of every byte written, from the first checkpoint on (`contentSHA256()`, which
    /// starts it from the bytes already written) or from a resume: a checkpoint records the digest of
    /// the file's prefix, and a resume checks the file's content against it, not only its length. A run
    /// without checkpoints hashes nothing.
    private var hasher: SHA256?

    static func temporaryPath(for path: String) -> String { path + ".partial" }

    init(path: String, bufferCapacity: Int = 1 << 16, hashing: Bool = false) throws {
        hasher = hashing ? SHA256() : nil
        finalPath = path
        temporaryPath = Self.temporaryPath(for: path)
        capacity = max(4096, bufferCapacity)
        buffer = []
        buffer.reserveCapacity(capacity)
        descriptor = Glibc.open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw VesicleIOError.notWritable(path: temporaryPath, reason: systemErrorText())
        }
    }

    /// Reopens the temporary file of an interrupted writer to go on writing after its first
    /// `length` bytes (a checkpoint's recorder position, docs/CHECKPOINT.md): what lies beyond them
    /// was written after the checkpoint and is cut off.
    init(resuming path: String, length: Int, bufferCapacity: Int = 1 << 16, hashing: Bool = false) throws {
        hasher = nil
        finalPath = path
        temporaryPath = Self.temporaryPath(for: path)
        capacity = max(4096, bufferCapacity)
        buffer = []
        buffer.reserveCapacity(capacity)
        descriptor = Glibc.open(temporaryPath, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw VesicleIOError.notWritable(path: temporaryPath, reason: systemErrorText())
        }
        guard ftruncate(descriptor, off_t(length)) == 0, lseek(descriptor, 0, SEEK_END) == off_t(length) else {
            let reason = systemErrorText()
            Glibc.close(descriptor)
            descriptor = -1
            throw VesicleIOError.writeFailed(path: temporaryPath, reason: "cannot cut it to \(length) bytes: \(reason)")
        }
        bytesWritten = length
        if hashing { hasher = try SHA256.prefixHasher(ofFile: temporaryPath, bytes: length) }
    }

    /// The SHA-256 (hex) of the bytes written so far; the first call reads back what was written.
    /// - Complexity: O(bytes written) the first time, O(1) after.
    func contentSHA256() throws -> String {
        if hasher == nil {
            try flush()
            hasher = try SHA256.prefixHasher(ofFile: temporaryPath, bytes: bytesWritten)
        }
        return SHA256.hex(of: hasher!.finalize())
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Flushes the buffer and syncs the file to disk, keeping it open: after this, `bytesWritten`
    /// bytes survive a crash of the process or the machine (a checkpoint's recorder position).
    func sync() throws {
        guard descriptor >= 0 else { return }
        try flush()
        if fsync(descriptor) != 0, errno != EINVAL {
            throw VesicleIOError.writeFailed(path: temporaryPath, reason: systemErrorText())
        }
    }

    var isOpen: Bool { descriptor >= 0 }

    func write(bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw VesicleIOError.finished(path: finalPath) }
        if hasher != nil, let base = bytes.baseAddress {
            hasher!.update(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count))
        }
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeThrough(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
        bytesWritten += bytes.count
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write(bytes: $0) }
    }

    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(bytes: UnsafeRawBufferPointer($0)) }
    }

    func writeLittleEndian(_ value: UInt64) throws {
        var little = value.littleEndian
        try withUnsafeBytes(of: &little) { try write(bytes: $0) }
    }

    /// Writes `words` as consecutive little-endian 64-bit values in one buffer copy.
    func writeLittleEndian(_ words: [UInt64]) throws {
        #if _endian(big)
        try words.map(\.littleEndian).withUnsafeBytes { try write(bytes: $0) }
        #else
        try words.withUnsafeBytes { try write(bytes: $0) }
        #endif
    }

    func writeLittleEndian(_ value: Double) throws {
        try writeLittleEndian(value.bitPattern)
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeThrough($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeThrough(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw VesicleIOError.writeFailed(path: temporaryPath, reason: systemErrorText())
            }
            offset += written
        }
    }

    /// Flushes, syncs and closes the temporary file, leaving it under its `.partial` name.
    func close() throws {
        guard descriptor >= 0 else { return }
        defer { descriptor = -1 }
        try flush()
        if fsync(descriptor) != 0, errno != EINVAL {
            let reason = systemErrorText()
            Glibc.close(descriptor)
            throw VesicleIOError.writeFailed(path: temporaryPath, reason: reason)
        }
        if Glibc.close(descriptor) != 0 {
            throw VesicleIOError.writeFailed(path: temporaryPath, reason: systemErrorText())
        }
    }

    /// Closes the file and moves it to its final name.
    func commit() throws {
        try close()
        try Self.rename(temporaryPath, to: finalPath)
    }

    static func rename(_ from: String, to: String) throws {
        if Glibc.rename(from, to) != 0 {
            throw VesicleIOError.writeFailed(path: to, reason: "renaming from '\(from)': \(systemErrorText())")
        }
    }
}
