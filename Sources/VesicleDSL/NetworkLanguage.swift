// The entry point: network file text -> NetworkSpec plus diagnostics.

import Foundation
import VesicleModel

public enum NetworkLanguage {
    /// Parses, checks and lowers `source`. Returns a spec only if there are no errors. Never traps.
    /// `path` is used in diagnostics and as the directory `file("...")` paths are relative to.
    public static func compile(source: String, path: String) -> (spec: NetworkSpec?, diagnostics: [Diagnostic]) {
        compile(source: source, path: path, memoryLimit: ProcessInfo.processInfo.physicalMemory)
    }

    /// Reads and compiles a file; an unreadable file or invalid UTF-8 is a diagnostic.
    public static func compile(fileAt path: String) -> (spec: NetworkSpec?, diagnostics: [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [Diagnostic(.error, .unreadableFile, "cannot read the file: \(unreadableReason(path))", path: path, range: .start)])
        }
        return compile(bytes: [UInt8](data), path: path)
    }

    /// Compiles raw bytes; invalid UTF-8 is reported at the first bad byte.
    public static func compile(bytes: [UInt8], path: String,
                        memoryLimit: UInt64 = ProcessInfo.processInfo.physicalMemory) -> (spec: NetworkSpec?, diagnostics: [Diagnostic]) {
        if let range = firstInvalidUTF8(in: bytes) {
            return (nil, [Diagnostic(.error, .unreadableFile, "the file is not valid UTF-8 text", path: path, range: range)])
        }
        return compile(source: String(decoding: bytes, as: UTF8.self), path: path, memoryLimit: memoryLimit)
    }

    static func compile(source: String, path: String, memoryLimit: UInt64) -> (spec: NetworkSpec?, diagnostics: [Diagnostic]) {
        var lexer = Lexer(source: source, path: path)
        let tokens = lexer.tokenize()
        var parser = Parser(tokens: tokens, path: path)
        let statements = parser.parseProgram()
        var diagnostics = lexer.diagnostics + parser.diagnostics
        let checker = Checker(path: path, memoryLimit: memoryLimit)
        checker.abandonedDeclarations = parser.abandonedNames
        let spec = checker.run(statements, syntaxFailed: diagnostics.contains { $0.severity == .error })
        diagnostics += checker.diagnostics
        // In file order; at one position errors first; otherwise in the order the checks found them.
        diagnostics = diagnostics.enumerated().sorted {
            ($0.element.range.offset, $0.element.severity == .error ? 0 : 1, $0.offset)
                < ($1.element.range.offset, $1.element.severity == .error ? 0 : 1, $1.offset)
        }.map(\.element)
        let failed = diagnostics.contains { $0.severity == .error }
        return (failed ? nil : spec, diagnostics)
    }

    /// Location of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> SourceRange? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var line = 1
        var column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += String(scalar).utf8.count
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                return nil
            case .error:
                return SourceRange(offset: offset, length: 1, line: line, column: column)
            }
        }
    }
}

extension NetworkLanguage {
    /// Why a file cannot be read, in words (issue 20 §5): no such file, a directory, permission.
    static func unreadableReason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) { return "no such file (the directory '\(parent)' does not exist)" }
            return "no such file"
        }
        if isDirectory.boolValue { return "it is a directory, not a network file" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return "it could not be read"
    }
}
