// Checkpoints of a run on MPI ranks (docs/CHECKPOINT.md, On ranks). Every rank encodes the same
// payload as a one-process run would, except that state a rank holds only for its own neurons is
// written inside `rankPart` (this rank's consecutive piece of a list that the ranks hold in rank
// order) and a count or counter that each rank holds its share of is written with `rankSum`. Rank 0
// merges: its own bytes outside the spans (state every rank holds whole and alike), each `rankPart`
// as the ranks' pieces one after the other in rank order, each `rankSum` as the sum, each
// `rankScattered` list (a Bayesian projection's synapses, interleaved over the ranks within each
// row) as every rank's elements at their indices, each `rankMaximum` list as its elements' largest
// over the ranks (a count or time only the ranks that saw an event advanced). The merged
// payload is byte for byte the one-process payload, so a checkpoint does not depend on the rank
// count, and a resume on any rank count reads the one format and keeps each rank's part.

/// A span of a rank's payload that rank 0 combines with the other ranks' (`CheckpointEncoder.rankPart`).
public struct CheckpointRankSpan: Equatable, Sendable {
    public enum Kind: UInt8, Sendable {
        /// This rank's consecutive piece of a list: the ranks' pieces are concatenated in rank order.
        case part = 1
        /// One `int` that is summed over the ranks.
        case sum = 2
        /// This rank's elements of a list the ranks hold interleaved (a Bayesian projection's
        /// synapses, each on its target's rank): placed by their whole-list indices
        /// (`rankScattered`).
        case scattered = 3
        /// A list every rank holds whole, whose merged value is each element's largest over the
        /// ranks, as unsigned little-endian integers of 4 or 8 bytes (`rankMaximum`).
        case maximum32 = 4
        case maximum64 = 8
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

    /// Writes, in `body`, this rank's elements of a list of `count` elements of `width` bytes that
    /// the ranks hold interleaved: `runs` are (whole-list index of the first, element count), in the
    /// order `body` writes their elements. Rank 0 puts every rank's elements at their indices and
    /// checks that the runs of all ranks cover the list exactly once; the merged payload holds the
    /// `count` elements alone (write the list's count before, as a plain `int`). Within the span a
    /// rank's bytes are: count, width and run count (u64 each), the runs (two u64 each), the elements.
    /// - Complexity: O(runs + bytes written by `body`).
    public mutating func rankScattered(count: Int, width: Int, runs: [(start: Int, length: Int)],
                                       _ body: (inout CheckpointEncoder) throws -> Void) rethrows {
        precondition(!inRankPart, "rank spans do not nest")
        inRankPart = true
        defer { inRankPart = false }
        let start = bytes.count
        u64(UInt64(count))
        u64(UInt64(width))
        u64(UInt64(runs.count))
        var elements = 0
        for run in runs {
            u64(UInt64(run.start))
            u64(UInt64(run.length))
            elements += run.length
        }
        let values = bytes.count
        try body(&self)
        precondition(bytes.count - values == elements * width, "a scattered span's elements are its runs' (\(elements) of \(width) bytes)")
        rankSpans.append(CheckpointRankSpan(kind: .scattered, bytes: start..<bytes.count))
    }

    /// Writes, in `body`, a list of unsigned integers of `width` bytes (4 or 8) that every rank holds
    /// whole, each rank counting what it saw (a Bayesian row's spike ordinal per delay, the time a
    /// row was last brought up to date: a rank that holds none of a row's synapses never counts it):
    /// the merged value of each element is its largest over the ranks. Non-negative Doubles compare
    /// as their bit patterns do.
    /// - Complexity: O(bytes written by `body`).
    public mutating func rankMaximum(width: Int, _ body: (inout CheckpointEncoder) throws -> Void) rethrows {
        precondition(width == 4 || width == 8, "a rank maximum is of 4- or 8-byte integers")
        precondition(!inRankPart, "rank spans do not nest")
        inRankPart = true
        defer { inRankPart = false }
        let start = bytes.count
        try body(&self)
        precondition((bytes.count - start) % width == 0, "a rank maximum's bytes are whole integers")
        rankSpans.append(CheckpointRankSpan(kind: width == 4 ? .maximum32 : .maximum64, bytes: start..<bytes.count))
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

    /// Bytes as they are, without a count (inside a rank span, after the whole list's count).
    /// - Complexity: O(values.count).
    public mutating func rawBytes(_ values: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: values)
    }

    /// Floats (their 32-bit patterns) without a count (inside a rank span, after the whole list's count).
    /// - Complexity: O(values.count).
    public mutating func rawFloats(_ values: UnsafeBufferPointer<Float>) {
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for v in values { u32(v.bitPattern) }
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
                guard kind != .sum || length == 8 else { throw CheckpointError("rank \(i + 1)'s sum \(s) is \(length) bytes") }
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
            case .scattered:
                try mergeScattered(root.bytes[span.bytes], pieces.map { $0[s].bytes }, span: s, into: &merged)
            case .maximum32, .maximum64:
                let width = span.kind == .maximum32 ? 4 : 8
                let mine = root.bytes[span.bytes]
                var largest = Array(mine)
                for (i, rank) in pieces.enumerated() {
                    let theirs = rank[s].bytes
                    guard theirs.count == mine.count else {
                        throw CheckpointError("rank \(i + 1)'s list \(s) is \(theirs.count) bytes, rank 0's \(mine.count)")
                    }
                    var a = theirs.startIndex
                    for e in stride(from: 0, to: largest.count, by: width) {
                        // Little-endian: compare from the most significant byte down.
                        var k = width - 1
                        while k >= 0 && theirs[a + k] == largest[e + k] { k -= 1 }
                        if k >= 0 && theirs[a + k] > largest[e + k] {
                            for b in 0..<width { largest[e + b] = theirs[a + b] }
                        }
                        a += width
                    }
                }
                merged.bytes.append(contentsOf: largest)
            }
            at = span.bytes.upperBound
        }
        merged.bytes.append(contentsOf: root.bytes[at...])
        return merged.bytes
    }

    /// Every rank's elements of scattered span `s` (rank 0's first) placed at their indices; throws
    /// unless the ranks agree on the list and their runs cover it exactly once.
    /// - Complexity: O(list bytes + runs log runs).
    private static func mergeScattered(_ root: ArraySlice<UInt8>, _ others: [ArraySlice<UInt8>], span s: Int,
                                       into merged: inout CheckpointEncoder) throws {
        var count = 0, width = 0
        var out: [UInt8] = []
        var covered: [(start: Int, length: Int)] = []
        for (rank, bytes) in ([root] + others).enumerated() {
            var decoder = CheckpointDecoder(bytes: Array(bytes))
            let n = Int(try decoder.u64()), w = Int(try decoder.u64()), runs = Int(try decoder.u64())
            if rank == 0 {
                count = n
                width = w
                guard n >= 0, w > 0, n <= Int.max / w else { throw CheckpointError("scattered list \(s): \(n) elements of \(w) bytes") }
                out = [UInt8](repeating: 0, count: n * w)
            } else if n != count || w != width {
                throw CheckpointError("rank \(rank)'s scattered list \(s) is \(n) x \(w) bytes, rank 0's \(count) x \(width)")
            }
            guard runs >= 0, runs <= (bytes.count - 24) / 16 else { throw CheckpointError("rank \(rank)'s scattered list \(s) ends early") }
            var list: [(start: Int, length: Int)] = []
            list.reserveCapacity(runs)
            for _ in 0..<runs { list.append((Int(try decoder.u64()), Int(try decoder.u64()))) }
            for run in list {
                guard run.start >= 0, run.length >= 0, run.start <= count - run.length else {
                    throw CheckpointError("rank \(rank)'s run \(run.start) + \(run.length) outside scattered list \(s) of \(count)")
                }
                guard run.length <= (bytes.count - decoder.offset) / width else {
                    throw CheckpointError("rank \(rank)'s scattered list \(s) ends early")
                }
                let from = bytes.startIndex + decoder.offset
                out.replaceSubrange(run.start * width..<(run.start + run.length) * width,
                                    with: bytes[from..<(from + run.length * width)])
                try decoder.skip(run.length * width)
                if run.length > 0 { covered.append(run) }
            }
            guard decoder.offset == bytes.count else { throw CheckpointError("rank \(rank)'s scattered list \(s) has bytes left over") }
        }
        covered.sort { $0.start < $1.start }
        var next = 0
        for run in covered {
            guard run.start == next else {
                throw CheckpointError(run.start < next
                    ? "scattered list \(s): element \(run.start) is held by two ranks"
                    : "scattered list \(s): elements \(next) ..< \(run.start) are held by no rank")
            }
            next += run.length
        }
        guard next == count else { throw CheckpointError("scattered list \(s): elements \(next) ..< \(count) are held by no rank") }
        merged.bytes.append(contentsOf: out)
    }
}
