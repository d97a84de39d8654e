// Which inputs spike in which feedback bin: a min-heap of (bin, input) keys.

/// Min-heap of next-spike bins. A key packs `bin << 24 | input`, so equal bins pop in input order,
/// which makes a run independent of heap layout (DESIGN.md, one scheduler, tie rule).
struct SpikeBinQueue {
    private var keys: [UInt64] = []

    static let inputBits: UInt64 = 24
    static let inputMask: UInt64 = (1 << 24) - 1
    /// Bins beyond this are never reached (2^39 bins of 10 ms is 174 years).
    static let lastBin = 1 << 39

    init(capacity: Int) { keys.reserveCapacity(capacity) }

    var minimumBin: Int? {
        keys.first.map { Int($0 >> Self.inputBits) }
    }

    mutating func push(bin: Int, input: Int) {
        guard bin < Self.lastBin else { return }
        keys.append(UInt64(bin) << Self.inputBits | UInt64(input))
        var child = keys.count - 1
        let key = keys[child]
        while child > 0 {
            let parent = (child - 1) >> 1
            if keys[parent] <= key { break }
            keys[child] = keys[parent]
            child = parent
        }
        keys[child] = key
    }

    /// Removes and returns the input with the smallest (bin, input).
    mutating func popInput() -> Int {
        let top = keys[0]
        let last = keys.removeLast()
        if !keys.isEmpty {
            var parent = 0
            let n = keys.count
            while true {
                var child = 2 * parent + 1
                if child >= n { break }
                if child + 1 < n && keys[child + 1] < keys[child] { child += 1 }
                if last <= keys[child] { break }
                keys[parent] = keys[child]
                parent = child
            }
            keys[parent] = last
        }
        return Int(top & Self.inputMask)
    }
}
