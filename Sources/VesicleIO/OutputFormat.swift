/// The file formats a recorder can write. Several may be chosen at once.
public enum OutputFormat: String, CaseIterable, Sendable, Hashable, Codable {
    /// Comma-separated values with a header line.
    case csv
    /// NumPy `.npy` version 1.0, one little-endian column per file.
    case npy
    /// SONATA-style HDF5 (`/spikes/<population>/timestamps`, `node_ids`).
    case hdf5
}
