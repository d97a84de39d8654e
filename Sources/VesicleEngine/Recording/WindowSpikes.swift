/// Spikes emitted during one min-delay window, in global neuron indices. Sorted by (time, neuron)
/// before they are recorded or queued, so output order never depends on processing order.
final class WindowSpikes {
    var times: [Double] = []
    var neurons: [UInt32] = []

    @inline(__always)
    func append(time: Double, neuron: UInt32) {
        times.append(time)
        neurons.append(neuron)
    }

    var count: Int { times.count }

    func removeAll() {
        times.removeAll(keepingCapacity: true)
        neurons.removeAll(keepingCapacity: true)
    }

    /// Sorts by (time, neuron): the documented order of simultaneous spikes.
    func sort() {
        if count < 2 { return }
        var order = Array(0..<count)
        order.sort { a, b in times[a] != times[b] ? times[a] < times[b] : neurons[a] < neurons[b] }
        times = order.map { times[$0] }
        neurons = order.map { neurons[$0] }
    }
}
