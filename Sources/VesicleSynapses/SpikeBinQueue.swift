// Which inputs spike in which feedback bin: a calendar queue over bins.

/// Calendar queue of next-spike bins (Brown 1988): `bucketCount` buckets indexed by `bin mod
/// bucketCount`, each an intrusive linked list through the inputs (an input is in exactly one
/// bucket). Draining bin k walks bucket `k mod bucketCount` and takes the inputs due at k; inputs due
/// a whole turn or more later stay (rare: a gap of 4096 bins is 41 s at 10-ms bins, i.e. rates below
/// ~0.03 Hz). Push and drain are O(1) per input.
///
/// Order: the inputs due at a bin come out in reverse order of their pushes, whatever the bucket
/// count or the other entries of the bucket, so the order is a function of the run's own history
/// (docs/DESIGN.md: reproducible, independent of memory layout) without a sort.
struct SpikeBinQueue {
    static let bucketCount = 4096
    private static let mask = bucketCount - 1
    /// Bins beyond this are never reached (2^53 bins).
    static let lastBin = 1 << 53

    /// The bin an input is due at, and the next input in its bucket (-1 at the end).
    struct Link {
        var due: Int
        var next: Int32
    }

    // Internal: `FeedbackExperiment+Checkpoint.swift` encodes them.
    var head: [Int32]
    var links: [Link]

    init(inputCount: Int) {
        head = Array(repeating: -1, count: Self.bucketCount)
        links = Array(repeating: Link(due: -1, next: -1), count: inputCount)
    }

    mutating func push(bin: Int, input: Int) {
        guard bin < Self.lastBin else { return }
        let b = bin & Self.mask
        links[input] = Link(due: bin, next: head[b])
        head[b] = Int32(input)
    }

    /// Removes the inputs due at `bin` and appends them to `inputs`.
    mutating func drain(bin: Int, into inputs: inout [Int]) {
        let b = bin & Self.mask
        var current = head[b]
        var previous: Int32 = -1
        links.withUnsafeMutableBufferPointer { link in
            while current >= 0 {
                let i = Int(current)
                let following = link[i].next
                if link[i].due == bin {
                    if previous < 0 { head[b] = following } else { link[Int(previous)].next = following }
                    inputs.append(i)
                } else {
                    previous = current
                }
                current = following
            }
        }
    }
}
