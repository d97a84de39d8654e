// Which inputs spike in which feedback bin: a calendar queue over bins.

/// Calendar queue of next-spike bins (Brown 1988): `bucketCount` buckets indexed by `bin mod
/// bucketCount`, each an intrusive linked list through the inputs (an input is in exactly one
/// bucket). Draining bin k walks bucket `k mod bucketCount` and takes the inputs due at k; inputs due
/// a whole turn or more later stay (rare: a gap of 4096 bins is 41 s at 10-ms bins, i.e. rates below
/// ~0.03 Hz). Push and drain are O(1) per input. Drained inputs are returned in ascending order, so a
/// run does not depend on insertion order (DESIGN.md, tie rule).
struct SpikeBinQueue {
    static let bucketCount = 4096
    private static let mask = bucketCount - 1
    /// Bins beyond this are never reached (2^53 bins).
    static let lastBin = 1 << 53

    private var head: [Int32]
    private var next: [Int32]
    private var due: [Int]

    init(inputCount: Int) {
        head = Array(repeating: -1, count: Self.bucketCount)
        next = Array(repeating: -1, count: inputCount)
        due = Array(repeating: -1, count: inputCount)
    }

    mutating func push(bin: Int, input: Int) {
        guard bin < Self.lastBin else { return }
        let b = bin & Self.mask
        due[input] = bin
        next[input] = head[b]
        head[b] = Int32(input)
    }

    /// Removes the inputs due at `bin` and appends them, ascending, to `inputs`.
    mutating func drain(bin: Int, into inputs: inout [Int]) {
        let b = bin & Self.mask
        let start = inputs.count
        var previous: Int32 = -1
        var current = head[b]
        while current >= 0 {
            let i = Int(current)
            let following = next[i]
            if due[i] == bin {
                if previous < 0 { head[b] = following } else { next[Int(previous)] = following }
                inputs.append(i)
            } else {
                previous = current
            }
            current = following
        }
        // Insertion sort: a bin holds a few tens of inputs at the paper's rates.
        var j = start + 1
        while j < inputs.count {
            let v = inputs[j]
            var k = j - 1
            while k >= start && inputs[k] > v {
                inputs[k + 1] = inputs[k]
                k -= 1
            }
            inputs[k + 1] = v
            j += 1
        }
    }
}
