// Valid ranges of `vesicle analyze`'s numeric flags (issue 15 §4): a value outside is a range error
// naming the range, never a trap or an allocation of gigabytes (`--to 1e20`, `--fano-bin 1e-300`,
// `--sigma 1e308` once ended in SIGILL or grew without bound).
//
//   --from, --to        0 ... 1e10 ms, --to after --from
//   --fano-bin          1e-3 ... 1e10 ms, and at most 1e7 bins over the window
//   --bin               1e-3 ... 1e10 ms (correlogram; --max-lag / --bin bins at most)
//   --max-lag           0 ... 1e10 ms
//   --sigma             1e-3 ... 1e7 ms
//   --rate-bin          1e-3 ... 1e10 ms, and at most 1e7 bins over the window

import ArgumentParser
import VesicleModel

extension AnalyzeCommand {
    /// Most bins a per-neuron count or a rate may take over the analysed window.
    static let maximumBins = 1e7
    static let finestBin = 1e-3

    func validateRanges() throws {
        let longest = ParameterBounds.maximumTime
        func check(_ value: Double?, _ flag: String, _ low: Double, _ high: Double) throws {
            guard let value else { return }
            guard value.isFinite, value >= low, value <= high else {
                throw ValidationError("\(flag) \(value) is out of range: the valid range is \(TimeOption.trim(low)) to \(TimeOption.trim(high)) ms")
            }
        }
        try check(fromOption, "--from", 0, longest)
        try check(to, "--to", 0, longest)
        try check(fanoBin, "--fano-bin", Self.finestBin, longest)
        try check(bin, "--bin", Self.finestBin, longest)
        try check(maxLag, "--max-lag", 0, longest)
        try check(sigma, "--sigma", Self.finestBin, 1e7)
        try check(rateBin, "--rate-bin", Self.finestBin, longest)
    }

    /// Once the window is known (it defaults to the run's): the Fano and rate bins it implies.
    func checkBinCounts(from: Double, to end: Double) throws {
        for (flag, width) in [("--fano-bin", fanoBin), ("--rate-bin", rateBin)] where !smoothedRate.isEmpty || flag == "--fano-bin" {
            let bins = (end - from) / width
            guard bins <= Self.maximumBins else {
                throw ValidationError("\(flag) \(width) ms cuts the \(TimeOption.trim(end - from)) ms window into \(bins) bins, more than \(Int(Self.maximumBins)); use wider bins (at least \(TimeOption.trim((end - from) / Self.maximumBins)) ms) or a shorter window")
            }
        }
    }
}
