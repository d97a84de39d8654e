import HeapModule

/// The scheduler's priority queue. The simulator pushes deliveries after each min-delay window and
/// pops every delivery earlier than the next window's end; the three implementations are measured
/// against each other by `vesicle bench queue`.
public protocol EventQueue {
    var count: Int { get }
    mutating func push(_ delivery: SpikeDelivery)
    /// Removes and appends to `out`, in the documented order, every delivery with time < `limit`.
    mutating func popAll(before limit: Double, into out: inout [SpikeDelivery])
}

/// Which queue a simulator uses.
public enum EventQueueKind: String, Sendable, CaseIterable {
    case binaryHeap = "binary-heap"
    case collectionsHeap = "collections-heap"
    case calendar = "calendar"
}

/// An implicit binary min-heap on a contiguous array.
public struct BinaryHeapQueue: EventQueue {
    @usableFromInline var storage: [SpikeDelivery] = []

    public init() {}

    public var count: Int { storage.count }

    public mutating func push(_ delivery: SpikeDelivery) {
        storage.append(delivery)
        var child = storage.count - 1
        storage.withUnsafeMutableBufferPointer { heap in
            let item = heap[child]
            while child > 0 {
                let parent = (child - 1) / 2
                if !SpikeDelivery.precedes(item, heap[parent]) { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = item
        }
    }

    public mutating func popAll(before limit: Double, into out: inout [SpikeDelivery]) {
        while let top = storage.first, top.time < limit {
            out.append(top)
            let last = storage.removeLast()
            if storage.isEmpty { break }
            storage.withUnsafeMutableBufferPointer { heap in
                let n = heap.count
                var parent = 0
                while true {
                    let left = 2 * parent + 1
                    if left >= n { break }
                    var smallest = left
                    let right = left + 1
                    if right < n && SpikeDelivery.precedes(heap[right], heap[left]) { smallest = right }
                    if !SpikeDelivery.precedes(heap[smallest], last) { break }
                    heap[parent] = heap[smallest]
                    parent = smallest
                }
                heap[parent] = last
            }
        }
    }
}

/// swift-collections' min-max heap.
public struct CollectionsHeapQueue: EventQueue {
    var heap = Heap<SpikeDelivery>()

    public init() {}

    public var count: Int { heap.count }

    public mutating func push(_ delivery: SpikeDelivery) { heap.insert(delivery) }

    public mutating func popAll(before limit: Double, into out: inout [SpikeDelivery]) {
        while let top = heap.min, top.time < limit {
            out.append(heap.removeMin())
        }
    }
}

/// A calendar (bucket) queue with buckets one window wide: a push appends to the bucket of its
/// window, a pop sorts one bucket. Deliveries beyond the calendar's span wait in an overflow heap.
public struct CalendarQueue: EventQueue {
    let origin: Double
    let width: Double
    var buckets: [[SpikeDelivery]]
    /// Index of the window whose bucket is `buckets[0]` after rotation.
    var firstWindow: Int = 0
    var overflow = BinaryHeapQueue()
    public private(set) var count: Int = 0

    public init(origin: Double, width: Double, bucketCount: Int = 64) {
        self.origin = origin
        self.width = width
        buckets = Array(repeating: [], count: max(1, bucketCount))
    }

    @inline(__always)
    func window(of time: Double) -> Int { Int(((time - origin) / width).rounded(.down)) }

    public mutating func push(_ delivery: SpikeDelivery) {
        count += 1
        let w = window(of: delivery.time)
        if w < firstWindow + buckets.count {
            buckets[max(w, firstWindow) % buckets.count].append(delivery)
        } else {
            overflow.push(delivery)
        }
    }

    public mutating func popAll(before limit: Double, into out: inout [SpikeDelivery]) {
        let start = out.count
        // Drain the current bucket; move on only past windows that end at or before `limit`, so the
        // calendar never runs ahead of time and later pushes always land in their own bucket.
        while true {
            let slot = firstWindow % buckets.count
            var keep: [SpikeDelivery] = []
            for d in buckets[slot] {
                if d.time < limit { out.append(d) } else { keep.append(d) }
            }
            buckets[slot] = keep
            let windowEnd = origin + Double(firstWindow + 1) * width
            guard keep.isEmpty, windowEnd <= limit else { break }
            firstWindow += 1
            // Overflow deliveries that now fit in the calendar move into it.
            var moved: [SpikeDelivery] = []
            overflow.popAll(before: origin + Double(firstWindow + buckets.count) * width, into: &moved)
            for d in moved {
                let w = window(of: d.time)
                buckets[max(w, firstWindow) % buckets.count].append(d)
            }
        }
        count -= out.count - start
        out[start...].sort(by: SpikeDelivery.precedes)
    }
}
