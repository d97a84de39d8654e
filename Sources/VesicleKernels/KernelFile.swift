import Foundation

/// Reads a kernel sampled in a text file: one value per line, at a step given alongside (ms).
/// Blank lines and lines starting with '#' are skipped; line numbers in errors count every line.
public enum KernelFile {
    public static func load(path: String, step: Double) throws -> KernelShape {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable as UTF-8 text" : "no such file"
            throw KernelError.fileUnreadable(path: path, reason: reason)
        }
        return try parse(text, path: path, step: step)
    }

    public static func parse(_ text: String, path: String, step: Double) throws -> KernelShape {
        var values: [Double] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let value = Double(line) else {
                throw KernelError.nonNumeric(path: path, line: lineNumber, text: line)
            }
            guard value.isFinite else { throw KernelError.nonFinite(path: path, line: lineNumber, text: line) }
            values.append(value)
        }
        guard !values.isEmpty else { throw KernelError.fileEmpty(path: path) }
        let shape = KernelShape.sampled(values: values, step: step, source: path)
        try shape.validate()
        return shape
    }
}
