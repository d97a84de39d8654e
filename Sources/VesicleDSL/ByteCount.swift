// Human-readable byte counts for memory messages.

import Foundation

public enum ByteCount {
    /// "812 bytes", "63.2 MiB", "3.6 TiB".
    public static func formatted(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return index == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[index])
    }
}
