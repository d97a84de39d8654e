// Per-synapse state of the feedback experiment, stored together.

import VesicleRandom

/// One input's synapse in `FeedbackExperiment`: posterior after the relaxation of bin `lastBin`,
/// the target log-weight at bin `lastBin`, its spike process and its two random streams. Kept in one
/// 128-byte record (two cache lines) because a touch reads all of it: in separate arrays a touch of
/// a random synapse costs a cache miss per array.
struct FeedbackSynapse {
    var mu: Double
    var sigma2: Double
    var target: Double
    var lastBin: Int
    /// Spike probability per bin, nu dt (at most 1), and ln(1 - nu dt) for geometric skipping.
    var spikeProbability: Double
    var logNoSpike: Double
    var teacherStream: RandomStream
    var spikeStream: RandomStream

    /// The posterior's relaxation toward the prior (docs/MODEL.md §3) by the factor `decay`.
    @inline(__always)
    mutating func relax(_ prior: OrnsteinUhlenbeckPrior, decay: Double) {
        prior.relax(mu: &mu, sigma2: &sigma2, decay: decay)
    }

    /// The exact OU transition of the target over `n` bins (docs/MODEL.md §4, Teacher): mean factor
    /// `e^(-n dt/tau)`, one normal draw from the synapse's own teacher stream.
    @inline(__always)
    mutating func advanceTeacher(bins n: Int, mean m: Double, table: OrnsteinUhlenbeckBinTable) {
        if table.jumps {
            // At least one jump in n bins with probability 1 - e^(-n bin / tau); the last one sets the target.
            if teacherStream.uniform() >= table.decay(bins: n) {
                target = m + table.prior.variance.squareRoot() * teacherStream.normalZiggurat()
            }
            return
        }
        target = m + (target - m) * table.decay(bins: n) + table.noiseSD(bins: n) * teacherStream.normalZiggurat()
    }
}

/// What the synapses that spiked in a bin released, kept between the release and learning passes.
struct BinRelease {
    var input: Int
    var moments: WeightMoments
    var slope: Double
    var amplitude: Double
}
