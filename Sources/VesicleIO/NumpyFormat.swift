import Foundation

/// NumPy `.npy` files (format version 1.0, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
/// the magic `\x93NUMPY`, version bytes, a little-endian u16 header length, an ASCII Python dict
/// literal padded with spaces and ended by `\n` so the data starts on a 64-byte boundary, then
/// the raw C-order data. Vesicle writes one-dimensional `<f8` and `<u8` columns.
public enum NumpyFormat {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// The complete header (magic through the padded dict) for a 1-D column of `count` elements.
    static func header(kind: ColumnKind, count: Int) -> [UInt8] {
        let dict = "{'descr': '\(kind.numpyDescriptor)', 'fortran_order': False, 'shape': (\(count),), }"
        let unpadded = magic.count + 2 + 2 + dict.utf8.count + 1
        let padding = (64 - unpadded % 64) % 64
        let headerLength = dict.utf8.count + padding + 1
        var bytes = magic + [1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
        bytes += Array(dict.utf8)
        bytes += [UInt8](repeating: 0x20, count: padding)
        bytes.append(0x0A)
        return bytes
    }

    /// Writes column `column` of `spill` as a `.npy` file at `path`, through a temporary name;
    /// the file is renamed to `path` only when `complete`.
    static func write(spill: ColumnSpill, column: Int, kind: ColumnKind, path: String, complete: Bool) throws {
        let file = try AtomicOutputFile(path: path)
        try file.write(header(kind: kind, count: spill.records))
        var values = [UInt64]()
        try spill.forEachChunk { words, records in
            values.removeAll(keepingCapacity: true)
            for r in 0..<records { values.append(words[r * spill.columns + column]) }
            try file.writeLittleEndian(values)
        }
        if complete { try file.commit() } else { try file.close() }
    }

    /// Writes an in-memory column (used for small files and tests).
    public static func write(_ values: NumpyColumn, to path: String) throws {
        let file = try AtomicOutputFile(path: path)
        switch values {
        case .float64(let v):
            try file.write(header(kind: .float64, count: v.count))
            for x in v { try file.writeLittleEndian(x) }
        case .uint64(let v):
            try file.write(header(kind: .uint64, count: v.count))
            for x in v { try file.writeLittleEndian(x) }
        }
        try file.commit()
    }

    /// Reads a one-dimensional `<f8`, `<u8` or `<i8` `.npy` file (versions 1, 2 and 3).
    /// Anything else, or a truncated file, throws `VesicleIOError.malformed`.
    public static func read(path: String) throws -> NumpyColumn {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw VesicleIOError.readFailed(path: path, reason: error.localizedDescription)
        }
        let bytes = [UInt8](data)
        func bad(_ reason: String) -> VesicleIOError { .malformed(path: path, reason: reason) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw bad("missing the NumPy magic string") }
        let major = bytes[6]
        let headerLength: Int
        let dictStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            dictStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw bad("truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            dictStart = 12
        default:
            throw bad("unsupported .npy version \(major)")
        }
        guard dictStart + headerLength <= bytes.count else { throw bad("truncated header") }
        guard let dict = String(bytes: bytes[dictStart..<(dictStart + headerLength)], encoding: .utf8) else {
            throw bad("header is not text")
        }
        let header = try parseHeader(dict, bad: bad)
        let dataStart = dictStart + headerLength
        let needed = header.count * 8
        guard bytes.count - dataStart >= needed else {
            throw bad("holds \(bytes.count - dataStart) data bytes, the header promises \(needed)")
        }
        var words = [UInt64](repeating: 0, count: header.count)
        words.withUnsafeMutableBytes { raw in
            bytes.withUnsafeBytes { src in
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[dataStart..<(dataStart + needed)]))
            }
        }
        for i in words.indices { words[i] = UInt64(littleEndian: words[i]) }
        switch header.descriptor {
        case "<f8": return .float64(words.map { Double(bitPattern: $0) })
        case "<u8": return .uint64(words)
        default:
            var values: [UInt64] = []
            values.reserveCapacity(words.count)
            for w in words {
                let signed = Int64(bitPattern: w)
                guard signed >= 0 else { throw bad("negative value \(signed) in an index column") }
                values.append(UInt64(signed))
            }
            return .uint64(values)
        }
    }

    private static func parseHeader(
        _ dict: String, bad: (String) -> VesicleIOError
    ) throws -> (descriptor: String, count: Int) {
        func value(of key: String) -> Substring? {
            guard let keyRange = dict.range(of: "'\(key)'") else { return nil }
            var rest = dict[keyRange.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        guard let descrValue = value(of: "descr"), descrValue.first == "'",
              let close = descrValue.dropFirst().firstIndex(of: "'")
        else { throw bad("header has no 'descr'") }
        let descriptor = String(descrValue[descrValue.index(after: descrValue.startIndex)..<close])
        guard ["<f8", "<u8", "<i8"].contains(descriptor) else {
            throw bad("element type '\(descriptor)' is not one of <f8, <u8, <i8")
        }
        guard let fortran = value(of: "fortran_order") else { throw bad("header has no 'fortran_order'") }
        if fortran.hasPrefix("True") { throw bad("Fortran-ordered arrays are not supported") }
        guard let shapeValue = value(of: "shape"), shapeValue.first == "(",
              let shapeEnd = shapeValue.firstIndex(of: ")")
        else { throw bad("header has no 'shape'") }
        let dims = shapeValue[shapeValue.index(after: shapeValue.startIndex)..<shapeEnd]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard dims.count == 1, let count = Int(dims[0]), count >= 0 else {
            throw bad("shape (\(dims.joined(separator: ", "))) is not one-dimensional")
        }
        return (descriptor, count)
    }
}

/// One column read from or written to a `.npy` file.
public enum NumpyColumn: Equatable, Sendable {
    case float64([Double])
    case uint64([UInt64])

    public var count: Int {
        switch self {
        case .float64(let v): return v.count
        case .uint64(let v): return v.count
        }
    }

    /// The values as doubles (indices convert exactly below 2^53).
    public var doubles: [Double] {
        switch self {
        case .float64(let v): return v
        case .uint64(let v): return v.map(Double.init)
        }
    }

    /// The values as indices; nil for a floating-point column.
    public var indices: [UInt64]? {
        if case .uint64(let v) = self { return v }
        return nil
    }
}
