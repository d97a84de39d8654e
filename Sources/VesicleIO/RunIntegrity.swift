// Damaged runs are detected, not analysed (issue 15 §4): `metadata.json` records, at the end of the
// run, each output file's size and SHA-256 and each population's spike count; `analyze` and `plot`
// compare the files against them and refuse, naming the file, when they disagree. A truncated
// `spikes.csv` once gave 24 Hz for a run of 86 Hz without a word.

import Foundation

public enum RunIntegrity {
    /// Files above this size get a size but no digest (hashing them would cost more than the run's
    /// finish is worth; the size still catches truncation).
    public static let largestDigestedFile = 256 << 20

    /// Sizes and digests of `files` in `directory`; files that cannot be read are left out.
    /// - Complexity: O(total bytes of the files up to `largestDigestedFile` each).
    public static func fingerprints(directory: String, files: [String]) -> (sizes: [String: Int], sha256: [String: String]) {
        var sizes: [String: Int] = [:]
        var digests: [String: String] = [:]
        for name in files {
            let path = directory + "/" + name
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { continue }
            sizes[name] = size
            if size <= largestDigestedFile, let digest = try? SHA256.hexDigest(ofFile: path) { digests[name] = digest }
        }
        return (sizes, digests)
    }

    /// Throws `VesicleIOError.malformed` naming the first file whose size or digest differs from
    /// the metadata, or that the metadata lists and the directory lacks.
    /// - Complexity: O(total bytes of the digested files).
    public static func verify(directory: String, metadata: RunMetadata) throws {
        guard let sizes = metadata.fileSizes else { return }  // a run from before sizes were recorded
        for name in metadata.files.sorted() {
            let path = directory + "/" + name
            guard let expected = sizes[name] else { continue }
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
                throw VesicleIOError.malformed(path: path, reason: "metadata.json lists it, but it is missing; the run directory is incomplete")
            }
            guard size == expected else {
                throw VesicleIOError.malformed(path: path, reason: "it has \(size) bytes, but metadata.json recorded \(expected) at the end of the run; the file was truncated or changed")
            }
            if let digest = metadata.fileSHA256?[name], let actual = try? SHA256.hexDigest(ofFile: path), actual != digest {
                throw VesicleIOError.malformed(path: path, reason: "its SHA-256 differs from the one metadata.json recorded at the end of the run; the file was changed")
            }
        }
    }

    /// Each population's spikes in the raster against the count metadata.json recorded.
    public static func verifySpikeCounts(directory: String, metadata: RunMetadata, raster: SpikeRaster) throws {
        for (p, name) in raster.populations.enumerated() {
            guard let declared = metadata.populations.first(where: { $0.name == name }), p < raster.neurons.count else { continue }
            let found = raster.neurons[p].count
            guard found == declared.spikes else {
                throw VesicleIOError.malformed(
                    path: directory + "/" + (metadata.files.first { $0.hasPrefix("spikes.") } ?? "spikes"),
                    reason: "it holds \(found) spikes of population \(name), but metadata.json recorded \(declared.spikes); the file is damaged")
            }
        }
    }
}
