// Positions in a network file. Every AST node and every diagnostic carries one.

/// A half-open range of UTF-8 bytes in a source text, with the 1-based line and column of its start.
public struct SourceRange: Sendable, Equatable {
    /// Byte offset of the first byte.
    public var offset: Int
    /// Length in bytes; at least 1 when rendered so that a caret is always shown.
    public var length: Int
    /// 1-based line of the first byte.
    public var line: Int
    /// 1-based column (in characters) of the first byte.
    public var column: Int

    public init(offset: Int, length: Int, line: Int, column: Int) {
        self.offset = offset
        self.length = length
        self.line = line
        self.column = column
    }

    /// The smallest range covering both; the start comes from whichever begins first.
    public func union(_ other: SourceRange) -> SourceRange {
        let first = offset <= other.offset ? self : other
        let end = max(offset + length, other.offset + other.length)
        return SourceRange(offset: first.offset, length: end - first.offset, line: first.line, column: first.column)
    }

    /// A range for things that have no text of their own (the end of the file, a whole-file problem).
    public static let start = SourceRange(offset: 0, length: 0, line: 1, column: 1)
}
