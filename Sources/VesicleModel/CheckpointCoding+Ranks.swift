// Checkpoints of a run on MPI ranks (docs/CHECKPOINT.md, On ranks). Every rank encodes the same
// payload as a one-process run would, except that state a rank holds only for its own neurons is
// written inside `rankPart` (this rank's consecutive piece of a list that the ranks hold in rank
// order) and a count or counter that each rank holds its share of is written with `rankSum`. Rank 0
// merges: its own bytes outside the spans (state every rank holds whole and alike), each `rankPart`
// as the ranks' pieces one after the other in rank order, each `rankSum` as the sum. The merged
// payload is byte for byte the one-process payload, so a checkpoint does not depend on the rank
// count, and a resume on any rank count reads the one format and keeps each rank's part.

/// A span of a rank's payload that rank 0 combines with the other ranks' (`CheckpointEncoder.rankPart`).
public struct CheckpointRankSpan: Equatable, Sendable {
    public enum Kind: UInt8, Sendable {
        /// This rank's consecutive piece of a list: the ranks' pieces are concatenated in rank order.
        case part = 1
        /// One `int` that is summed over the ranks.
        case sum = 2
    }
    public let kind: Kind
    public let bytes: Range<Int>
}

extension CheckpointEncoder {
    /// Writes, in `body`, this rank's consecutive piece of a list the ranks hold in rank order (on
    /// one process, the whole list). Spans do not nest.
    /// - Complexity: O(bytes written by `body`).
    public mutating func rankPart(_ body: (inout CheckpointEncoder) throws -> Void) rethrows {
        precondition(!inRankPart, "rank parts do not nest")
        inRankPart = true
        let start = bytes.count
        defer { inRankPart = false }
        try body(&self)
        rankSpans.append(CheckpointRankSpan(kind: .part, bytes: start..<bytes.count))
    }

    /// An `int` whose value in the merged payload is the sum of every rank's (a count of the items
    /// this rank's `rankPart` holds, or this rank's share of a counter).
    public mutating func rankSum(_ value: Int) {
        precondition(!inRankPart, "a rank sum inside a rank part")
        let start = bytes.count
        int(value)
        rankSpans.append(CheckpointRankSpan(kind: .sum, bytes: start..<bytes.count))
    }

    /// Doubles without a count (inside a `rankPart`, after the whole list's count).
    /// - Complexity: O(values.count).
    public mutating func rawDoubles(_ values: UnsafeBufferPointer<Double>) {
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for v in values { double(v) }
        #endif
    }

    /// What a rank other than 0 sends to rank 0: its spans only (the rest is rank 0's): the span
    /// count (u64), then per span its kind (u8), byte length (u64) and bytes.
    /// - Complexity: O(bytes in spans).
    public func rankContribution() -> [UInt8] {
        var out = CheckpointEncoder(reservingCapacity: rankSpans.reduce(16) { $0 + 9 + $1.bytes.count })
        out.u64(UInt64(rankSpans.count))
        for span in rankSpans {
            out.u8(span.kind.rawValue)
            out.u64(UInt64(span.bytes.count))
            out.bytes.append(contentsOf: bytes[span.bytes])
        }
        return out.bytes
    }

    /// The one payload from rank 0's encoder and the other ranks' contributions, in rank order
    /// (ranks 1, 2, …). Throws when a rank's spans are not rank 0's in number and kind.
    /// - Complexity: O(payload bytes).
    public static func mergingRanks(root: CheckpointEncoder, contributions: [[UInt8]]) throws -> [UInt8] {
        var pieces: [[(kind: CheckpointRankSpan.Kind, bytes: ArraySlice<UInt8>)]] = []
        var extra = 0
        for (i, contribution) in contributions.enumerated() {
            var decoder = CheckpointDecoder(bytes: contribution)
            let n = Int(try decoder.u64())
            guard n == root.rankSpans.count else {
                throw CheckpointError("rank \(i + 1) wrote \(n) rank spans, rank 0 \(root.rankSpans.count): the ranks' states do not fit together")
            }
            var spans: [(kind: CheckpointRankSpan.Kind, bytes: ArraySlice<UInt8>)] = []
            spans.reserveCapacity(n)
            for s in 0..<n {
                guard let kind = CheckpointRankSpan.Kind(rawValue: try decoder.u8()), kind == root.rankSpans[s].kind else {
                    throw CheckpointError("rank \(i + 1)'s span \(s) is not of rank 0's kind")
                }
                let length = Int(try decoder.u64())
                guard length >= 0, length <= contribution.count - decoder.offset else {
                    throw CheckpointError("rank \(i + 1)'s span \(s) ends early")
                }
                guard kind == .part || length == 8 else { throw CheckpointError("rank \(i + 1)'s sum \(s) is \(length) bytes") }
                spans.append((kind, contribution[decoder.offset..<(decoder.offset + length)]))
                extra += length
                try decoder.skip(length)
            }
            pieces.append(spans)
        }
        var merged = CheckpointEncoder(reservingCapacity: root.bytes.count + extra)
        var at = 0
        for (s, span) in root.rankSpans.enumerated() {
            merged.bytes.append(contentsOf: root.bytes[at..<span.bytes.lowerBound])
            switch span.kind {
            case .part:
                merged.bytes.append(contentsOf: root.bytes[span.bytes])
                for rank in pieces { merged.bytes.append(contentsOf: rank[s].bytes) }
            case .sum:
                func value(_ bytes: ArraySlice<UInt8>) throws -> Int {
                    var decoder = CheckpointDecoder(bytes: Array(bytes))
                    return try decoder.int()
                }
                var total = try value(root.bytes[span.bytes])
                for rank in pieces { total += try value(rank[s].bytes) }
                merged.int(total)
            }
            at = span.bytes.upperBound
        }
        merged.bytes.append(contentsOf: root.bytes[at...])
        return merged.bytes
    }
}
