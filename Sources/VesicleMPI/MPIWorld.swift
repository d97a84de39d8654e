import CMPI
import Glibc
import VesicleEngine

/// The ranks of a run launched by `mpirun`, over Open MPI's MPI_COMM_WORLD (docs/DESIGN.md, Ranks).
///
/// Only the main thread calls MPI (MPI_THREAD_FUNNELED): the window's threads never do, the
/// exchange runs at the window boundary where they have all finished. MPI's default error handler
/// is kept: a failed collective aborts the whole job with Open MPI's message rather than leaving
/// some ranks waiting in a collective the others have left.
public final class MPIWorld: SpikeExchange {
    public let rank: Int
    public let rankCount: Int
    private var finalized = false

    /// Time this rank spent between exchanges (its windows' work), waiting for the slowest rank
    /// (the count exchange, the first collective of a window), and moving the spikes (the data
    /// exchange and its packing), seconds; and the number of exchanges.
    public private(set) var computeSeconds = 0.0
    public private(set) var waitSeconds = 0.0
    public private(set) var exchangeSeconds = 0.0
    public private(set) var exchanges = 0
    /// Bytes of spikes this rank received in all exchanges (its own included).
    public private(set) var receivedBytes = 0
    private var lastReturn = 0.0

    private var sendBuffer: [UInt8] = []
    private var receiveBuffer: [UInt8] = []
    private var times: [Double] = []
    private var neurons: [UInt32] = []

    /// Initialises MPI (once per process).
    public init() {
        var provided: Int32 = 0
        MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided)
        var r: Int32 = 0, n: Int32 = 0
        MPI_Comm_rank(vesicle_mpi_comm_world(), &r)
        MPI_Comm_size(vesicle_mpi_comm_world(), &n)
        rank = Int(r)
        rankCount = Int(n)
        lastReturn = Self.now()
    }

    deinit { finalize() }

    /// Ends MPI; every rank must reach it (no collective may be pending on any other).
    public func finalize() {
        if finalized { return }
        finalized = true
        MPI_Finalize()
    }

    /// Compute time is counted from now (after a pause that was not this run's windows).
    public func resumeClock() { lastReturn = Self.now() }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Two collectives: an MPI_Allgather of (spike count, stop wish) per rank, then an
    /// MPI_Allgatherv of 12 bytes per spike (Float64 time bits, UInt32 global neuron), little-endian
    /// as the machine is. The counts fix every rank's displacements, so the data exchange moves only
    /// the spikes; the stop wish rides on the counts, so agreeing on a stop costs nothing extra.
    public func exchange(times localTimes: UnsafeBufferPointer<Double>, neurons localNeurons: UnsafeBufferPointer<UInt32>,
                         stop: Bool, receive: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<UInt32>) -> Void) -> Bool {
        if method == .inline { return exchangeInline(times: localTimes, neurons: localNeurons, stop: stop, receive: receive) }
        let entered = Self.now()
        computeSeconds += entered - lastReturn
        let world = vesicle_mpi_comm_world()
        let n = localTimes.count
        var mine: [Int32] = [Int32(n), stop ? 1 : 0]
        var all = [Int32](repeating: 0, count: 2 * rankCount)
        MPI_Allgather(&mine, 2, vesicle_mpi_int(), &all, 2, vesicle_mpi_int(), world)
        let synchronised = Self.now()
        waitSeconds += synchronised - entered

        let record = 12
        sendBuffer.removeAll(keepingCapacity: true)
        sendBuffer.reserveCapacity(n * record)
        for k in 0..<n {
            withUnsafeBytes(of: localTimes[k].bitPattern) { sendBuffer.append(contentsOf: $0) }
            withUnsafeBytes(of: localNeurons[k]) { sendBuffer.append(contentsOf: $0) }
        }
        var counts = [Int32](repeating: 0, count: rankCount)
        var displacements = [Int32](repeating: 0, count: rankCount)
        var total = 0, anyStop = false
        for r in 0..<rankCount {
            counts[r] = all[2 * r] * Int32(record)
            displacements[r] = Int32(total)
            total += Int(counts[r])
            anyStop = anyStop || all[2 * r + 1] != 0
        }
        if receiveBuffer.count < total { receiveBuffer = [UInt8](repeating: 0, count: total) }
        let sendCount = Int32(n * record)
        sendBuffer.withUnsafeMutableBytes { send in
            receiveBuffer.withUnsafeMutableBytes { recv in
                _ = MPI_Allgatherv(send.baseAddress, sendCount, vesicle_mpi_byte(), recv.baseAddress, &counts,
                                   &displacements, vesicle_mpi_byte(), world)
            }
        }
        let spikes = total / record
        times.removeAll(keepingCapacity: true)
        neurons.removeAll(keepingCapacity: true)
        receiveBuffer.withUnsafeBytes { raw in
            for k in 0..<spikes {
                times.append(Double(bitPattern: raw.loadUnaligned(fromByteOffset: k * record, as: UInt64.self)))
                neurons.append(raw.loadUnaligned(fromByteOffset: k * record + 8, as: UInt32.self))
            }
        }
        times.withUnsafeBufferPointer { t in neurons.withUnsafeBufferPointer { receive(t, $0) } }
        receivedBytes += total
        exchanges += 1
        lastReturn = Self.now()
        exchangeSeconds += lastReturn - synchronised
        return anyStop
    }

    /// How a window's spikes move (VESICLE_SPIKE_EXCHANGE; docs/SCALING.md has the measurements).
    public enum Method: String {
        /// Counts, then the spikes: two collectives a window.
        case allgatherv
        /// One fixed-size MPI_Allgather carrying the count, the stop wish and up to `inlineCapacity`
        /// spikes per rank; a second collective only for the spikes beyond it.
        case inline
    }
    public let method: Method = getenv("VESICLE_SPIKE_EXCHANGE").flatMap { Method(rawValue: String(cString: $0)) } ?? .allgatherv
    /// Spikes per rank the inline block holds: 1.25 times the most any rank sent last window, to a
    /// power of two, at least 64. Every rank computes it from the same gathered counts, so all agree.
    public private(set) var inlineCapacity = 64

    private func exchangeInline(times localTimes: UnsafeBufferPointer<Double>, neurons localNeurons: UnsafeBufferPointer<UInt32>,
                                stop: Bool, receive: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<UInt32>) -> Void) -> Bool {
        let entered = Self.now()
        computeSeconds += entered - lastReturn
        let world = vesicle_mpi_comm_world()
        let record = 12, capacity = inlineCapacity, block = 8 + record * capacity
        let n = localTimes.count
        sendBuffer.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: Int32(n)) { sendBuffer.append(contentsOf: $0) }
        withUnsafeBytes(of: Int32(stop ? 1 : 0)) { sendBuffer.append(contentsOf: $0) }
        for k in 0..<n {
            withUnsafeBytes(of: localTimes[k].bitPattern) { sendBuffer.append(contentsOf: $0) }
            withUnsafeBytes(of: localNeurons[k]) { sendBuffer.append(contentsOf: $0) }
        }
        let packed = sendBuffer.count
        if packed < block { sendBuffer.append(contentsOf: repeatElement(0, count: block - packed)) }
        let total = block * rankCount
        if receiveBuffer.count < total { receiveBuffer = [UInt8](repeating: 0, count: total) }
        sendBuffer.withUnsafeMutableBytes { send in
            receiveBuffer.withUnsafeMutableBytes { recv in
                _ = MPI_Allgather(send.baseAddress, Int32(block), vesicle_mpi_byte(), recv.baseAddress, Int32(block),
                                  vesicle_mpi_byte(), world)
            }
        }
        let synchronised = Self.now()
        waitSeconds += synchronised - entered
        var counts = [Int](repeating: 0, count: rankCount)
        var anyStop = false
        receiveBuffer.withUnsafeBytes { raw in
            for r in 0..<rankCount {
                counts[r] = Int(raw.loadUnaligned(fromByteOffset: r * block, as: Int32.self))
                anyStop = anyStop || raw.loadUnaligned(fromByteOffset: r * block + 4, as: Int32.self) != 0
            }
        }
        // Spikes beyond the block: one MPI_Allgatherv of the rest, only when some rank has any.
        var overflow: [UInt8] = []
        var overflowStart = [Int](repeating: 0, count: rankCount)
        if counts.contains(where: { $0 > capacity }) {
            var bytes = counts.map { Int32(max($0 - capacity, 0) * record) }
            var displacements = [Int32](repeating: 0, count: rankCount)
            var sum: Int32 = 0
            for r in 0..<rankCount { displacements[r] = sum; overflowStart[r] = Int(sum); sum += bytes[r] }
            overflow = [UInt8](repeating: 0, count: Int(sum))
            let mine = Int32(max(n - capacity, 0) * record)
            let extra = Array(sendBuffer[min(8 + record * capacity, packed)..<packed])
            extra.withUnsafeBytes { send in
                overflow.withUnsafeMutableBytes { recv in
                    _ = MPI_Allgatherv(send.baseAddress, mine, vesicle_mpi_byte(), recv.baseAddress, &bytes, &displacements,
                                       vesicle_mpi_byte(), world)
                }
            }
        }
        times.removeAll(keepingCapacity: true)
        neurons.removeAll(keepingCapacity: true)
        func unpack(_ raw: UnsafeRawBufferPointer, at offset: Int, count: Int) {
            for k in 0..<count {
                times.append(Double(bitPattern: raw.loadUnaligned(fromByteOffset: offset + k * record, as: UInt64.self)))
                neurons.append(raw.loadUnaligned(fromByteOffset: offset + k * record + 8, as: UInt32.self))
            }
        }
        receiveBuffer.withUnsafeBytes { raw in
            for r in 0..<rankCount { unpack(raw, at: r * block + 8, count: min(counts[r], capacity)) }
        }
        overflow.withUnsafeBytes { raw in
            for r in 0..<rankCount where counts[r] > capacity { unpack(raw, at: overflowStart[r], count: counts[r] - capacity) }
        }
        times.withUnsafeBufferPointer { t in neurons.withUnsafeBufferPointer { receive(t, $0) } }
        let most = counts.max() ?? 0
        var next = 64
        while next < most + most / 4 { next *= 2 }
        inlineCapacity = next
        receivedBytes += total + overflow.count
        exchanges += 1
        lastReturn = Self.now()
        exchangeSeconds += lastReturn - synchronised
        return anyStop
    }

    public func gatherOnRoot(_ bytes: [UInt8]) -> [[UInt8]] {
        let world = vesicle_mpi_comm_world()
        var count = Int32(bytes.count)
        var counts = [Int32](repeating: 0, count: rankCount)
        MPI_Gather(&count, 1, vesicle_mpi_int(), &counts, 1, vesicle_mpi_int(), 0, world)
        var displacements = [Int32](repeating: 0, count: rankCount)
        var total: Int32 = 0
        for r in 0..<rankCount { displacements[r] = total; total += counts[r] }
        var received = [UInt8](repeating: 0, count: rank == 0 ? Int(total) : 0)
        var send = bytes
        send.withUnsafeMutableBytes { s in
            received.withUnsafeMutableBytes { r in
                _ = MPI_Gatherv(s.baseAddress, count, vesicle_mpi_byte(), r.baseAddress, &counts, &displacements,
                                vesicle_mpi_byte(), 0, world)
            }
        }
        guard rank == 0 else { return [] }
        return (0..<rankCount).map { r in
            Array(received[Int(displacements[r])..<Int(displacements[r] + counts[r])])
        }
    }

    public func sum(_ values: [Int]) -> [Int] {
        var send = values.map { Int64($0) }
        var result = [Int64](repeating: 0, count: values.count)
        MPI_Allreduce(&send, &result, Int32(values.count), vesicle_mpi_long_long(), vesicle_mpi_sum(), vesicle_mpi_comm_world())
        return result.map { Int($0) }
    }

    /// Every rank says whether its step failed, and why; every rank learns the lowest failing rank
    /// and its message (at most 1000 bytes of it), or nil when none failed. Called at the same
    /// points on every rank, so a failure on one stops all with one message and nothing waits.
    /// - Complexity: one MPI_Allgather of 1 KiB per rank.
    public func agree(failure: String?) -> (rank: Int, message: String)? {
        let width = 1024
        var mine = [UInt8](repeating: 0, count: width)
        if let failure {
            mine[0] = 1
            let utf8 = Array(failure.utf8.prefix(width - 2))
            mine.replaceSubrange(1..<(1 + utf8.count), with: utf8)
        }
        var all = [UInt8](repeating: 0, count: width * rankCount)
        MPI_Allgather(&mine, Int32(width), vesicle_mpi_byte(), &all, Int32(width), vesicle_mpi_byte(), vesicle_mpi_comm_world())
        for r in 0..<rankCount where all[r * width] == 1 {
            let text = all[(r * width + 1)..<((r + 1) * width)].prefix { $0 != 0 }
            return (r, String(decoding: text, as: UTF8.self))
        }
        return nil
    }

    /// Every rank's `text` (at most 1000 bytes of it), on every rank, in rank order.
    /// - Complexity: one MPI_Allgather of 1 KiB per rank.
    public func gather(_ text: String) -> [String] {
        let width = 1024
        var mine = [UInt8](repeating: 0, count: width)
        let utf8 = Array(text.utf8.prefix(width - 1))
        mine.replaceSubrange(0..<utf8.count, with: utf8)
        var all = [UInt8](repeating: 0, count: width * rankCount)
        MPI_Allgather(&mine, Int32(width), vesicle_mpi_byte(), &all, Int32(width), vesicle_mpi_byte(), vesicle_mpi_comm_world())
        return (0..<rankCount).map { r in
            String(decoding: all[(r * width)..<((r + 1) * width)].prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Every rank's `value`, on every rank, in rank order.
    /// - Complexity: one MPI_Allgather of 8 bytes per rank.
    public func gather(_ value: Double) -> [Double] {
        var mine = value
        var all = [Double](repeating: 0, count: rankCount)
        MPI_Allgather(&mine, 1, vesicle_mpi_double(), &all, 1, vesicle_mpi_double(), vesicle_mpi_comm_world())
        return all
    }

    /// Every rank waits for the others.
    public func barrier() { MPI_Barrier(vesicle_mpi_comm_world()) }
}
