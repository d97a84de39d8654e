// A network file compiled at another scale than it is written for: its `let scale = <written>` line
// replaced before compiling (the paper's circuits, Networks/paper/circuit_*.vsl; the microcircuit
// tests). Only the text changes, so every diagnostic still points into the file as written.

import Foundation
import VesicleModel

extension NetworkLanguage {
    /// A file that should be rescaled has no `let scale = <written>` line.
    public struct ScaleLineMissing: Error, Equatable, CustomStringConvertible {
        public let path: String
        /// The line looked for, `let scale = <written>`.
        public let line: String
        public init(path: String, line: String) {
            self.path = path
            self.line = line
        }
        public var description: String { "\(path): no line '\(line)' to rescale" }
    }

    /// Reads and compiles the file at `path` with its first line `let scale = <written>` (white space
    /// around it aside; a longer value such as `<written>5` is another line) replaced by
    /// `let scale = <scale>`; as written when `scale` is nil.
    /// - Throws: the file's read error; `ScaleLineMissing` when `scale` is given and the file has no
    ///   such line. Compile errors are diagnostics, as in `compile(source:path:)`.
    /// - Complexity: O(file length) plus the compile's.
    public static func compile(fileAt path: String, scale: Double?, written: String)
        throws -> (spec: NetworkSpec?, diagnostics: [Diagnostic]) {
        let source = try String(contentsOfFile: path, encoding: .utf8)
        guard let scale else { return compile(source: source, path: path) }
        let line = "let scale = \(written)"
        var lines = source.components(separatedBy: "\n")
        guard let k = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines) == line }) else {
            throw ScaleLineMissing(path: path, line: line)
        }
        lines[k] = "let scale = \(scale)"
        return compile(source: lines.joined(separator: "\n"), path: path)
    }
}
