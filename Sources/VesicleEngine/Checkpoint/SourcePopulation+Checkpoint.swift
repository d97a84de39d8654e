import VesicleModel
import VesicleRandom

// A source's state (docs/CHECKPOINT.md, Sources): a Poisson source's next spike and stream counters
// per neuron; a spike-time source's cursor per neuron (the times come from the network file); a
// rate-modulated Poisson input's next candidate and stream counters per train.
// Section "source.2": the Poisson streams are counter-keyed `DriveStream`s (section "source" held
// xoshiro256** state).
extension SourcePopulation {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("source.2")
        encoder.int(count)
        switch kind {
        case .poisson(_, _, let next, let streams):
            encoder.u8(0)
            encoder.doubles(next)
            for stream in streams { stream.encode(into: &encoder) }
        case .times(_, let cursor):
            encoder.u8(1)
            encoder.ints(cursor)
        case .modulated(let trains):
            encoder.u8(2)
            encoder.doubles(trains.next)
            for stream in trains.streams { stream.encode(into: &encoder) }
        }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("source.2")
        try CheckpointDecoder.require(try decoder.int(), equals: count, "source neurons")
        let tag = try decoder.u8()
        switch kind {
        case .poisson(let rates, let deadTime, _, let streams):
            guard tag == 0 else { throw CheckpointError("a Poisson source is a spike-time source in the checkpoint") }
            let next = try decoder.doubles(expected: count, "Poisson source next spikes")
            var restored: [DriveStream] = []
            restored.reserveCapacity(streams.count)
            for stream in streams { restored.append(try stream.restored(from: &decoder)) }
            kind = .poisson(rates: rates, deadTime: deadTime, next: next, streams: restored)
        case .times(let times, _):
            guard tag == 1 else { throw CheckpointError("a spike-time source is a Poisson source in the checkpoint") }
            let cursor = try decoder.ints(expected: count, "spike-time source cursors")
            for (j, c) in cursor.enumerated() where !(0...times[j].count).contains(c) {
                throw CheckpointError("spike-time source neuron \(j): cursor \(c) outside 0...\(times[j].count)")
            }
            kind = .times(times: times, cursor: cursor)
        case .modulated(var trains):
            guard tag == 2 else { throw CheckpointError("a rate-modulated Poisson input is another kind of source in the checkpoint") }
            trains.next = try decoder.doubles(expected: trains.next.count, "rate-modulated Poisson next candidates")
            for k in trains.streams.indices { trains.streams[k] = try trains.streams[k].restored(from: &decoder) }
            kind = .modulated(trains)
        }
    }
}
