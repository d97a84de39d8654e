import Foundation

/// Every number the paper run produces, one row each, written as CSV and Markdown.
public struct PaperTable {
    public struct Row {
        public var experiment: String
        public var configuration: String
        public var quantity: String
        public var value: Double
        public var unit: String
    }

    public private(set) var rows: [Row] = []

    public init() {}

    mutating func add(_ experiment: String, _ configuration: String, _ quantity: String, _ value: Double,
                      unit: String = "") {
        rows.append(Row(experiment: experiment, configuration: configuration, quantity: quantity, value: value,
                        unit: unit))
    }

    public static func format(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        return String(format: "%.6g", v)
    }

    public var csv: String {
        var text = "experiment,configuration,quantity,value,unit\n"
        for r in rows {
            text += [r.experiment, r.configuration, r.quantity, Self.format(r.value), r.unit]
                .map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
        }
        return text
    }

    public var markdown: String {
        var text = "| experiment | configuration | quantity | value | unit |\n|---|---|---|---:|---|\n"
        for r in rows {
            text += "| \(r.experiment) | \(r.configuration) | \(r.quantity) | \(Self.format(r.value)) | \(r.unit) |\n"
        }
        return text
    }
}
