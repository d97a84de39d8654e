// The benchmarks' `--duration` through the one time option (TimeOption): `--duration 1s`, `500ms`;
// a bare number is ms with a notice. The commands keep reading `duration` in ms.

import Foundation

extension BenchBrunelCommand {
    var duration: Double { durationOption.milliseconds }
}

extension BenchCUBACommand {
    var duration: Double { durationOption.milliseconds }
}

extension BenchSynapticFilterCommand {
    var duration: Double { durationOption.milliseconds }
}

extension BenchBrunelCommand {
    /// A figure for the report; NaN (a statistic of no spikes or no intervals) is "undefined".
    static func statistic(_ value: Double, _ format: String) -> String {
        value.isFinite ? String(format: format, value) : "undefined"
    }
}
