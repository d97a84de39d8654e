import Foundation
import VesicleKernels

/// What every benchmark prints first: the machine it ran on (docs/BENCHMARKS.md, What every benchmark prints).
enum BenchmarkMachine {
    /// A measured duration in seconds.
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Read once from /proc/cpuinfo by VesicleKernels, which prints the same in its own benchmark.
    static let machine = VesicleKernels.MachineDescription.current()

    static var cpuModel: String { machine.cpuModel }

    static var cores: Int { machine.cores }

    static var summary: String { "machine: \(cores) cores, \(cpuModel)" }

    /// Peak resident set size of this process in bytes (VmHWM), or nil where /proc is absent.
    static var peakResidentBytes: Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            if let kb = digits.first { return kb * 1024 }
        }
        return nil
    }
}

/// One JSON object on one line, keys in the order given (so runs diff cleanly).
struct JSONLine {
    private var fields: [(String, String)] = []

    mutating func add(_ key: String, _ value: Double) {
        fields.append((key, value.isFinite ? String(value) : "null"))
    }

    mutating func add(_ key: String, _ value: Int) { fields.append((key, String(value))) }

    mutating func add(_ key: String, _ value: String) {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        fields.append((key, "\"\(escaped)\""))
    }

    var text: String { "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}" }
}
