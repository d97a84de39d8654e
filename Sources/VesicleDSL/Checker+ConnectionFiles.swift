// `connect A -> B from_file("conns.csv")` (docs/LANGUAGE.md, "Connections from a file"): a CSV file
// with a header naming the columns `source`, `target` and optionally `weight` (mV for lif_delta and
// linear_readout targets, pA for lif_exp or kernel projections) and `delay` (ms). Indices are local to
// the slices of the statement, from 0. The same syntax is what PyNN's `FromListConnector` is lowered
// to. Every problem names the file, the line and the column, and is located at the `from_file`.

import Foundation
import VesicleModel

extension Checker {
    static let connectionFileColumns = ["source", "target", "weight", "delay"]

    /// Reads and validates a connection file for one (source, target) pair.
    /// - Complexity: O(lines).
    func readConnectionFile(_ relativePath: String, source: ResolvedSlice, target: ResolvedSlice,
                            weightDimension: Dimension, at range: SourceRange) throws(Reported) -> ConnectionList {
        let fullPath = relativePath.hasPrefix("/") || baseDirectory.isEmpty
            ? relativePath : (baseDirectory as NSString).appendingPathComponent(relativePath)
        spec.readFiles.paths.append(fullPath)  // hashed into checkpoints (docs/CHECKPOINT.md)
        guard let data = FileManager.default.contents(atPath: fullPath) else {
            throw fail(.unreadableFile, "cannot read connection file '\(fullPath)'", at: range)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw fail(.unreadableFile, "connection file '\(fullPath)' is not valid UTF-8 text", at: range)
        }
        let format = "a header 'source,target' with optional 'weight' (\(weightDimension.storageUnit)) and 'delay' (ms) columns, then one synapse per line"
        // "\r\n" is one Character in Swift: split on it too, so CRLF files (Python's csv module
        // writes them) read as LF ones.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .enumerated().lazy
            .map { ($0.offset + 1, $0.element.trimmingCharacters(in: .whitespacesAndNewlines)) }
            .filter { !$0.1.isEmpty && !$0.1.hasPrefix("#") }
            .makeIterator()
        guard let headerEntry = lines.next() else {
            throw fail(.invalidValue, "connection file '\(relativePath)' is empty", at: range, notes: ["expected \(format)"])
        }
        let (headerLine, header) = headerEntry
        let columns = header.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var position: [String: Int] = [:]
        for (i, column) in columns.enumerated() {
            guard Self.connectionFileColumns.contains(column) else {
                let suggestion = Suggestion.closest(to: column, among: Self.connectionFileColumns)
                throw fail(.invalidValue, "connection file '\(relativePath)', line \(headerLine), column \(i + 1): unknown column '\(column)'",
                           at: range, suggestion: suggestion, notes: ["expected \(format)"])
            }
            if position[column] != nil {
                throw fail(.duplicateDefinition, "connection file '\(relativePath)', line \(headerLine): column '\(column)' is given twice", at: range)
            }
            position[column] = i
        }
        guard let sourceColumn = position["source"], let targetColumn = position["target"] else {
            throw fail(.invalidValue, "connection file '\(relativePath)', line \(headerLine): the header must name the columns 'source' and 'target'",
                       at: range, notes: ["expected \(format)"])
        }
        var list = ConnectionList(sources: [], targets: [], weights: position["weight"] == nil ? nil : [],
                                  delays: position["delay"] == nil ? nil : [], origin: relativePath)
        while let entry = lines.next() {
            let (number, line) = entry
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let location = "connection file '\(relativePath)', line \(number)"
            guard fields.count == columns.count else {
                throw fail(.invalidValue, "\(location): \(fields.count) fields, but the header names \(columns.count) columns", at: range)
            }
            func index(_ column: Int, of slice: ResolvedSlice, _ role: String) throws(Reported) -> Int {
                guard let value = Int(fields[column]) else {
                    throw fail(.invalidValue, "\(location), column \(column + 1): \(role) '\(fields[column])' is not a whole number", at: range)
                }
                guard value >= 0, value < slice.count else {
                    throw fail(.outOfRange, "\(location), column \(column + 1): \(role) \(value) is outside \(slice.label) (\(slice.count) neurons, indices 0 to \(slice.count - 1))",
                               at: range, notes: ["indices count from 0 within the statement's \(role) slice"])
                }
                return value
            }
            func finite(_ column: Int, _ what: String) throws(Reported) -> Double {
                guard let value = Double(fields[column]), value.isFinite else {
                    throw fail(.invalidValue, "\(location), column \(column + 1): \(what) '\(fields[column])' is not a finite number", at: range)
                }
                return value
            }
            list.sources.append(try index(sourceColumn, of: source, "source"))
            list.targets.append(try index(targetColumn, of: target, "target"))
            if let column = position["weight"] {
                list.weights?.append(try finite(column, "weight (\(weightDimension.storageUnit))"))
            }
            if let column = position["delay"] {
                let delay = try finite(column, "delay (ms)")
                guard delay > 0 else {
                    throw fail(.outOfRange, "\(location), column \(column + 1): a delay must be positive, found \(fields[column]) ms", at: range)
                }
                list.delays?.append(delay)
            }
        }
        return list
    }
}
