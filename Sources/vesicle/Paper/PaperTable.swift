import Foundation

/// Every number the paper run produces, one row each, written as CSV and Markdown.
struct PaperTable {
    struct Row {
        var experiment: String
        var configuration: String
        var quantity: String
        var value: Double
        var unit: String
    }

    private(set) var rows: [Row] = []

    mutating func add(_ experiment: String, _ configuration: String, _ quantity: String, _ value: Double,
                      unit: String = "") {
        rows.append(Row(experiment: experiment, configuration: configuration, quantity: quantity, value: value,
                        unit: unit))
    }

    static func format(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        return String(format: "%.6g", v)
    }

    var csv: String {
        var text = "experiment,configuration,quantity,value,unit\n"
        for r in rows {
            text += [r.experiment, r.configuration, r.quantity, Self.format(r.value), r.unit]
                .map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
        }
        return text
    }

    var markdown: String {
        var text = "| experiment | configuration | quantity | value | unit |\n|---|---|---|---:|---|\n"
        for r in rows {
            text += "| \(r.experiment) | \(r.configuration) | \(r.quantity) | \(Self.format(r.value)) | \(r.unit) |\n"
        }
        return text
    }
}
