// Reading RateReadoutSettings from a `.rates` file: `name = value` lines (a number, or a list
// `[a, b, ...]`), `#` comments. Unknown names and bad values are errors with file:line:column.

import Foundation

/// A mistake in a `.rates` file, kept apart from its rendering (`description`).
public struct RateFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var line: Int
    public var column: Int
    public var text: String
    public var message: String
    public var suggestion: String?

    public var description: String {
        var out = "\(path):\(line):\(column): error: \(message)\n\(text)\n"
            + String(repeating: " ", count: max(0, column - 1)) + "^"
        if let suggestion { out += "\nnote: \(suggestion)" }
        return out
    }
}

extension RateReadoutSettings {
    static let fileKeys = [
        "units", "connection_probability", "gain", "tau", "period", "harmonics", "trial_steps", "washout",
        "initial_state_sd", "noise_sd", "prior_variance", "trials", "test_every", "networks", "targets",
        "delta_rates", "gain_sweep", "gain_sweep_networks", "gain_sweep_targets", "initial_variance_factors", "seed",
    ]

    /// The settings a `.rates` file states (the defaults for names it leaves out).
    /// - Complexity: O(file length).
    public init(fileAt path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try self.init(text: text, path: path)
    }

    public init(text: String, path: String) throws {
        self.init()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !content.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            func fail(_ message: String, at column: Int, _ suggestion: String? = nil) -> RateFileError {
                RateFileError(path: path, line: index + 1, column: column, text: line, message: message, suggestion: suggestion)
            }
            let firstColumn = (content.firstIndex { $0 != " " }.map { content.distance(from: content.startIndex, to: $0) } ?? 0) + 1
            guard let eq = content.firstIndex(of: "=") else {
                throw fail("expected `name = value`", at: firstColumn)
            }
            let name = content[..<eq].trimmingCharacters(in: .whitespaces)
            let valueText = content[content.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            let valueColumn = content.distance(from: content.startIndex, to: eq) + 2
                + (content[content.index(after: eq)...].prefix { $0 == " " }.count)
            guard Self.fileKeys.contains(name) else {
                let close = Self.fileKeys.min { editDistance($0, name) < editDistance($1, name) }
                throw fail("unknown setting '\(name)'", at: firstColumn,
                           close.map { "did you mean '\($0)'? settings: \(Self.fileKeys.joined(separator: ", "))" })
            }
            var values: [Double] = []
            let isList = valueText.hasPrefix("[")
            let body = isList ? String(valueText.dropFirst().dropLast()) : valueText
            if isList && !valueText.hasSuffix("]") { throw fail("a list ends with ']'", at: valueColumn) }
            for part in body.split(separator: ",") {
                guard let v = Double(part.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw fail("'\(part.trimmingCharacters(in: .whitespaces))' is not a number", at: valueColumn)
                }
                values.append(v)
            }
            let lists = ["delta_rates", "gain_sweep", "initial_variance_factors"]
            if lists.contains(name) != isList || values.isEmpty {
                throw fail(lists.contains(name) ? "'\(name)' takes a list, e.g. [1, 2]" : "'\(name)' takes one number",
                           at: valueColumn)
            }
            let v = values[0]
            func positive() throws -> Double {
                guard v > 0 else { throw fail("'\(name)' must be > 0", at: valueColumn) }
                return v
            }
            func count(_ minimum: Int = 1) throws -> Int {
                guard v == v.rounded(), v >= Double(minimum), v < 1e9 else {
                    throw fail("'\(name)' must be a whole number >= \(minimum)", at: valueColumn)
                }
                return Int(v)
            }
            switch name {
            case "units": units = try count(2)
            case "connection_probability":
                guard v > 0 && v <= 1 else { throw fail("'connection_probability' must be in (0, 1]", at: valueColumn) }
                connectionProbability = v
            case "gain": gain = try positive()
            case "tau": tau = try positive()
            case "period": period = try count(2)
            case "harmonics": harmonics = try count()
            case "trial_steps": trialSteps = try count()
            case "washout": washout = try count(0)
            case "initial_state_sd": initialStateSD = try positive()
            case "noise_sd": noiseSD = try positive()
            case "prior_variance": priorVariance = try positive()
            case "trials": trials = try count()
            case "test_every": testEvery = try count()
            case "networks": networks = try count()
            case "targets": targets = try count()
            case "gain_sweep_networks": gainSweepNetworks = try count()
            case "gain_sweep_targets": gainSweepTargets = try count()
            case "seed": seed = try UInt64(count(0))
            case "delta_rates", "gain_sweep", "initial_variance_factors":
                guard values.allSatisfy({ $0 > 0 }) else { throw fail("'\(name)' must hold numbers > 0", at: valueColumn) }
                if name == "delta_rates" { deltaRates = values }
                else if name == "gain_sweep" { gainSweep = values }
                else { initialVarianceFactors = values }
            default: break
            }
        }
        guard washout < trialSteps else {
            throw RateFileError(path: path, line: 1, column: 1, text: "", message: "washout must be shorter than trial_steps")
        }
        guard trials % testEvery == 0 else {
            throw RateFileError(path: path, line: 1, column: 1, text: "", message: "trials must be a multiple of test_every")
        }
    }
}

/// Levenshtein distance, for suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in 1...max(1, b.count) where !b.isEmpty {
            let saved = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = saved
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
