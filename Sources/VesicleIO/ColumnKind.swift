/// The element type of one recorded column, with its NumPy descriptor.
public enum ColumnKind: Sendable, Equatable {
    /// IEEE 754 binary64, little-endian (`<f8`).
    case float64
    /// Unsigned 64-bit integer, little-endian (`<u8`).
    case uint64

    /// The `descr` of a NumPy header.
    public var numpyDescriptor: String {
        switch self {
        case .float64: return "<f8"
        case .uint64: return "<u8"
        }
    }
}

/// A named column of a recorded table.
public struct ColumnSchema: Sendable, Equatable {
    public var name: String
    public var kind: ColumnKind
    public init(_ name: String, _ kind: ColumnKind) {
        self.name = name
        self.kind = kind
    }
}
