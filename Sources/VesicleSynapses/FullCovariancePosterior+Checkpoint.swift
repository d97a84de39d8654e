import VesicleModel

// The full-covariance Synaptic Filter's posterior in a checkpoint (docs/CHECKPOINT.md, Synaptic
// Filter experiment): its mean and its dense covariance, row-major, as written (bit patterns), so a
// resume continues from exactly the matrix the uninterrupted run holds. Section "full_covariance".

extension FullCovariancePosterior {
    /// - Complexity: O(n^2).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("full_covariance")
        encoder.int(dimension)
        encoder.doubles(mean)
        encoder.doubles(covariance)
    }

    /// Replaces the mean and covariance of a posterior of the same dimension. The matrix is taken as
    /// written; it must be exactly symmetric, as every update keeps it.
    mutating func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("full_covariance")
        try CheckpointDecoder.require(try decoder.int(), equals: dimension, "full-covariance dimension")
        let mean = try decoder.doubles(expected: dimension, "full-covariance means")
        let covariance = try decoder.doubles(expected: dimension * dimension, "covariance entries")
        let n = dimension
        for i in 0..<n { for j in 0..<i where covariance[i * n + j].bitPattern != covariance[j * n + i].bitPattern {
            throw CheckpointError("the covariance's entries (\(i), \(j)) and (\(j), \(i)) differ (corrupted checkpoint)")
        } }
        self.mean = mean
        self.covariance = covariance
    }
}
