/// How the processes of one run share each window's spikes (docs/DESIGN.md, Ranks).
///
/// A run on R ranks (processes) of T threads each has R T partitions; rank r walks partitions
/// r T ..< (r + 1) T for their neurons' deliveries, drives and samples. At every window boundary
/// each rank hands the spikes its own neurons emitted in the window to `exchange`, which gives back
/// every rank's spikes; the simulator sorts them by (time, global neuron) before anything reads them,
/// so the order in which ranks contribute never matters. The engine knows nothing of MPI: the
/// identity exchange below is the one-process run, and the `VesicleMPI` module implements the same
/// protocol over Open MPI.
public protocol SpikeExchange: AnyObject {
    /// This process's rank, 0 ..< `rankCount`.
    var rank: Int { get }
    /// The number of ranks of the run.
    var rankCount: Int { get }

    /// Shares one window's spikes: `times[k]` and `neurons[k]` (global index) are this rank's; every
    /// rank's, this rank's included, are passed to `receive` (in any grouping and order). `stop` is
    /// this rank's wish to stop at this window's end; the result is true if any rank's was: every
    /// rank then stops at the same boundary.
    /// - Complexity: O(spikes of all ranks) plus the collective's latency.
    func exchange(times: UnsafeBufferPointer<Double>, neurons: UnsafeBufferPointer<UInt32>, stop: Bool,
                  receive: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<UInt32>) -> Void) -> Bool

    /// Gathers each rank's `bytes` on rank 0: there the result holds every rank's, in rank order;
    /// elsewhere it is empty. Membrane samples reach the rank that writes them this way.
    /// - Complexity: O(total bytes) on rank 0.
    func gatherOnRoot(_ bytes: [UInt8]) -> [[UInt8]]

    /// The element-wise sum over the ranks of `values` (every rank passes as many), on every rank.
    func sum(_ values: [Int]) -> [Int]
}

/// The one-process run: one rank, whose spikes are everyone's.
public final class LocalSpikeExchange: SpikeExchange {
    public init() {}
    public var rank: Int { 0 }
    public var rankCount: Int { 1 }

    public func exchange(times: UnsafeBufferPointer<Double>, neurons: UnsafeBufferPointer<UInt32>, stop: Bool,
                         receive: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<UInt32>) -> Void) -> Bool {
        receive(times, neurons)
        return stop
    }

    public func gatherOnRoot(_ bytes: [UInt8]) -> [[UInt8]] { [bytes] }

    public func sum(_ values: [Int]) -> [Int] { values }
}
