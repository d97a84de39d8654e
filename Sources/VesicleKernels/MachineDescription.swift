import Foundation

/// What a benchmark prints about the machine: cores and the CPU model from /proc/cpuinfo.
public struct MachineDescription: Sendable, Codable, Equatable {
    public let cores: Int
    public let cpuModel: String
    public let fftw: String

    public static func current() -> MachineDescription {
        var model = "unknown"
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":")
        {
            model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return MachineDescription(cores: ProcessInfo.processInfo.activeProcessorCount, cpuModel: model, fftw: fftwVersion)
    }
}
