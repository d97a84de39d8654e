// The byte encoding of a checkpoint's payload (docs/CHECKPOINT.md, Encoding): every value is written
// little-endian with an explicit width, whatever the machine, so a checkpoint written on one byte
// order, instruction set or thread count reads back bit for bit on any other. Sections carry their
// name, so a checkpoint that does not match the network it is restored into fails with the place it
// diverged, never with garbage state.

/// Why a checkpoint cannot be read or restored.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Appends values in the checkpoint encoding.
public struct CheckpointEncoder {
    public internal(set) var bytes: [UInt8] = []
    /// The spans of `bytes` the ranks of an MPI run combine on rank 0 (`rankPart`, `rankSum`;
    /// CheckpointCoding+Ranks.swift); a one-process payload ignores them.
    public internal(set) var rankSpans: [CheckpointRankSpan] = []
    var inRankPart = false

    public init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Starts a named section (a length-prefixed UTF-8 name the decoder checks).
    public mutating func section(_ name: String) {
        let utf8 = Array(name.utf8)
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A signed count or index, as 64 bits.
    public mutating func int(_ value: Int) { u64(UInt64(bitPattern: Int64(value))) }

    /// A Double by its IEEE 754 bit pattern (NaN payloads and signed zeros kept).
    public mutating func double(_ value: Double) { u64(value.bitPattern) }

    public mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        int(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    /// A count, then the values: one memory copy on a little-endian machine.
    /// - Complexity: O(values.count).
    public mutating func doubles(_ values: UnsafeBufferPointer<Double>) {
        int(values.count)
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for v in values { double(v) }
        #endif
    }

    public mutating func doubles(_ values: [Double]) { values.withUnsafeBufferPointer { doubles($0) } }

    /// A count, then each Float's 32-bit pattern.
    /// - Complexity: O(values.count).
    public mutating func floats(_ values: UnsafeBufferPointer<Float>) {
        int(values.count)
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for v in values { u32(v.bitPattern) }
        #endif
    }

    public mutating func floats(_ values: [Float]) { values.withUnsafeBufferPointer { floats($0) } }

    public mutating func ints(_ values: [Int]) {
        int(values.count)
        for v in values { int(v) }
    }

    /// A count, then the bytes as they are.
    /// - Complexity: O(values.count).
    public mutating func u8s(_ values: UnsafeBufferPointer<UInt8>) {
        int(values.count)
        bytes.append(contentsOf: values)
    }

    /// A count, then each value's 32 bits.
    public mutating func u32s(_ values: ArraySlice<UInt32>) {
        int(values.count)
        for v in values { u32(v) }
    }
}

/// Reads values in the checkpoint encoding; every read checks that the bytes are there.
public struct CheckpointDecoder {
    public let bytes: [UInt8]
    public private(set) var offset: Int

    public init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var isAtEnd: Bool { offset == bytes.count }

    /// Passes over `count` bytes (a value this holder does not keep, such as another rank's neuron).
    public mutating func skip(_ count: Int) throws { _ = try take(count) }

    private mutating func take(_ count: Int) throws -> Range<Int> {
        guard count >= 0, count <= bytes.count - offset else {
            throw CheckpointError("the checkpoint ends early (wanted \(count) bytes at offset \(offset) of \(bytes.count))")
        }
        defer { offset += count }
        return offset..<(offset + count)
    }

    /// Reads a section name and checks that it is `name`.
    public mutating func section(_ name: String) throws {
        let length = Int(try u32())
        guard length <= 256 else { throw CheckpointError("expected section '\(name)' at offset \(offset - 4), found no section name") }
        let found = String(decoding: bytes[try take(length)], as: UTF8.self)
        guard found == name else {
            throw CheckpointError("expected section '\(name)', found '\(found)': the checkpoint does not match this network")
        }
    }

    public mutating func u8() throws -> UInt8 { bytes[try take(1).lowerBound] }

    public mutating func bool() throws -> Bool {
        let v = try u8()
        guard v <= 1 else { throw CheckpointError("a flag at offset \(offset - 1) holds \(v), not 0 or 1") }
        return v == 1
    }

    public mutating func u32() throws -> UInt32 {
        let r = try take(4)
        var v: UInt32 = 0
        for k in (0..<4).reversed() { v = v << 8 | UInt32(bytes[r.lowerBound + k]) }
        return v
    }

    public mutating func u64() throws -> UInt64 {
        let r = try take(8)
        var v: UInt64 = 0
        for k in (0..<8).reversed() { v = v << 8 | UInt64(bytes[r.lowerBound + k]) }
        return v
    }

    public mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }
    public mutating func double() throws -> Double { Double(bitPattern: try u64()) }

    public mutating func string() throws -> String {
        let n = try int()
        return String(decoding: bytes[try take(n)], as: UTF8.self)
    }

    /// A count written by `doubles`, checked against `expected` when given.
    private mutating func count(_ expected: Int?, _ what: String) throws -> Int {
        let n = try int()
        if let expected, n != expected {
            throw CheckpointError("\(what): the checkpoint holds \(n) values where this network has \(expected)")
        }
        guard n >= 0 else { throw CheckpointError("\(what): negative count \(n)") }
        return n
    }

    /// Reads `doubles` into `out`, which must have room for `expected` values; with `keeping`, only
    /// those elements of the list (a rank's own neurons, whose memory `OwnedNeuronMemory` holds for
    /// these alone), the others skipped.
    /// - Complexity: O(kept values).
    public mutating func doubles(into out: UnsafeMutablePointer<Double>, expected: Int, keeping: Range<Int>? = nil,
                                 _ what: String) throws {
        let n = try count(expected, what)
        let kept = keeping ?? 0..<n
        precondition(kept.clamped(to: 0..<n) == kept, "\(what): elements \(kept) of \(n)")
        let r = try take(8 * n)
        guard !kept.isEmpty else { return }
        let start = r.lowerBound + 8 * kept.lowerBound
        #if _endian(little)
        bytes.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(out + kept.lowerBound).copyMemory(from: raw.baseAddress! + start, byteCount: 8 * kept.count)
        }
        #else
        offset = start
        for k in kept { out[k] = try double() }
        offset = r.upperBound
        #endif
    }

    public mutating func doubles(expected: Int? = nil, _ what: String) throws -> [Double] {
        let n = try count(expected, what)
        offset -= 8
        var out = [Double](repeating: 0, count: n)
        try out.withUnsafeMutableBufferPointer { try doubles(into: $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!, expected: n, what) }
        return out
    }

    public mutating func floats(expected: Int? = nil, _ what: String) throws -> [Float] {
        let n = try count(expected, what)
        let r = try take(4 * n)
        var out = [Float](repeating: 0, count: n)
        #if _endian(little)
        out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { raw in
                if n > 0 { dst.baseAddress!.copyMemory(from: raw.baseAddress! + r.lowerBound, byteCount: 4 * n) }
            }
        }
        #else
        offset = r.lowerBound
        for k in 0..<n { out[k] = Float(bitPattern: try u32()) }
        #endif
        return out
    }

    public mutating func ints(expected: Int? = nil, _ what: String) throws -> [Int] {
        let n = try count(expected, what)
        var out: [Int] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try int()) }
        return out
    }

    /// Reads `u8s` into `out`, which must have room for `expected` values.
    public mutating func u8s(into out: UnsafeMutablePointer<UInt8>, expected: Int, _ what: String) throws {
        let n = try count(expected, what)
        let r = try take(n)
        bytes.withUnsafeBytes { raw in
            if n > 0 { UnsafeMutableRawPointer(out).copyMemory(from: raw.baseAddress! + r.lowerBound, byteCount: n) }
        }
    }

    public mutating func u32s(expected: Int? = nil, _ what: String) throws -> [UInt32] {
        let n = try count(expected, what)
        guard n <= (bytes.count - offset) / 4 else { throw CheckpointError("\(what): \(n) values, more than the checkpoint holds") }
        var out: [UInt32] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try u32()) }
        return out
    }

    /// Fails unless a count read from the checkpoint equals the network's.
    public static func require(_ found: Int, equals expected: Int, _ what: String) throws {
        guard found == expected else {
            throw CheckpointError("\(what): the checkpoint holds \(found) where this network has \(expected)")
        }
    }
}
