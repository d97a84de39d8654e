import Foundation

/// Everything `vesicle analyze` and `vesicle plot` read from a run directory: the metadata when
/// present, the spike raster with each population's size, and whether a release log exists.
/// Without metadata (files from elsewhere), a population's size is its largest neuron index + 1
/// and the duration is the last spike time.
public struct RunRecording: Sendable {
    public var directory: String
    public var metadata: RunMetadata?
    public var raster: SpikeRaster?
    /// Neurons per population of `raster`.
    public var populationSizes: [Int]
    /// Simulated time covered (ms).
    public var simulatedTime: Double

    public static func load(directory: String) throws -> RunRecording {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw VesicleIOError.readFailed(path: directory, reason: "not a run directory")
        }
        let metadataPath = directory + "/" + RunDirectory.metadataName
        let metadata = FileManager.default.fileExists(atPath: metadataPath) ? try RunMetadata.read(path: metadataPath) : nil
        if let metadata { try RunIntegrity.verify(directory: directory, metadata: metadata) }
        var raster: SpikeRaster?
        let layout = SpikeRasterWriter.layout(populations: [])
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let partialSpikes = names.contains { $0.hasPrefix("spikes.") && $0.hasSuffix(".partial") }
        if RecordTableReader.availableFormat(directory: directory, layout: layout) != nil || partialSpikes {
            raster = try SpikeRaster.read(directory: directory, populations: metadata?.populations.map(\.name))
        }
        var sizes: [Int] = []
        if let raster, let metadata { try RunIntegrity.verifySpikeCounts(directory: directory, metadata: metadata, raster: raster) }
        if let raster {
            for (p, name) in raster.populations.enumerated() {
                // The engine indexes neurons with 32 bits: a larger index (2^64 - 1 in a file from
                // elsewhere trapped in `Int(_:) + 1`) is a malformed file, named, not a crash.
                let highest = raster.neurons[p].max() ?? 0
                guard highest < UInt64(UInt32.max) else {
                    throw VesicleIOError.malformed(
                        path: directory,
                        reason: "population \(name) has a spike of neuron \(highest), beyond the largest index a run can have (\(UInt32.max - 1))")
                }
                let largest = raster.neurons[p].isEmpty ? 0 : Int(highest) + 1
                if let declared = metadata?.populations.first(where: { $0.name == name }) {
                    // The engine indexes neurons with 32 bits; a larger count is corrupt, not big.
                    guard declared.neurons >= 0, declared.neurons <= Int(UInt32.max) else {
                        throw VesicleIOError.malformed(
                            path: metadataPath,
                            reason: "population \(name) declares \(declared.neurons) neurons, more than any run can have")
                    }
                    guard largest <= declared.neurons else {
                        throw VesicleIOError.malformed(
                            path: directory,
                            reason: "population \(name) has \(declared.neurons) neurons in metadata.json but a spike of neuron \(largest - 1)")
                    }
                    sizes.append(declared.neurons)
                } else {
                    sizes.append(largest)
                }
            }
        }
        let lastSpike = raster?.times.compactMap { $0.max() }.max() ?? 0
        let simulated = metadata?.simulatedTimeMs ?? lastSpike
        return RunRecording(
            directory: directory, metadata: metadata, raster: raster, populationSizes: sizes, simulatedTime: simulated)
    }

    public var hasReleaseLog: Bool { ReleaseLog.exists(directory: directory) }
}
