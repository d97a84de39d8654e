// Population references and slices: `E`, `E[0:100]`, `E[:100]`, `E[100:]`, `E[7]`.

import VesicleModel

/// A resolved population reference.
struct ResolvedSlice {
    var slice: PopulationSlice
    var population: PopulationSpec
    var range: SourceRange

    /// Number of neurons the reference selects.
    var count: Int { slice.range?.count ?? population.size }

    /// How the reference reads in projection names: "E" or "E[0:100]".
    var label: String {
        guard let r = slice.range else { return slice.population }
        return "\(slice.population)[\(r.lowerBound):\(r.upperBound)]"
    }
}

extension Checker {
    func populationReference(_ expression: Expression) throws(Reported) -> ResolvedSlice {
        let name: Name
        var bounds: (low: Expression?, high: Expression?, single: Bool)?
        switch expression.kind {
        case .identifier(let text):
            name = Name(text: text, range: expression.range)
        case .slice(let sliced, let low, let high, let single):
            name = sliced
            bounds = (low, high, single)
        default:
            throw fail(.invalidValue, "expected a population or a slice such as E[0:100]", at: expression.range)
        }
        guard let population = spec.population(named: name.text) else {
            if definitions[name.text]?.kind == .population { throw Reported() }  // its declaration failed, already reported
            if let definition = definitions[name.text] {
                throw fail(.invalidValue, "'\(name.text)' is a \(definition.kind.rawValue), not a population", at: name.range)
            }
            let candidates = definitions.filter { $0.value.kind == .population }.map(\.key)
            throw checkUndefinedName(name.text, kind: "population", candidates: candidates, at: name.range)
        }
        var resolved = ResolvedSlice(slice: PopulationSlice(population: name.text), population: population, range: expression.range)
        if let bounds {
            let low = try bounds.low.map { e throws(Reported) in try integer(e, "a slice bound", minimum: Int.min / 2, maximum: 1 << 53) } ?? 0
            var high = try bounds.high.map { e throws(Reported) in try integer(e, "a slice bound", minimum: Int.min / 2, maximum: 1 << 53) }
                ?? population.size
            if bounds.single { high = low + 1 }
            try checkSliceRange(low: low, high: high, of: population, at: expression.range)
            resolved.slice.range = low..<high
        }
        return resolved
    }

    /// Named check `slice-out-of-range`: `P[low:high]` must satisfy 0 <= low < high <= size.
    func checkSliceRange(low: Int, high: Int, of population: PopulationSpec, at range: SourceRange) throws(Reported) {
        let note = "population '\(population.name)' has \(population.size) neurons, indices 0 to \(population.size - 1); slices are half-open [low:high)"
        guard low >= 0, high <= population.size else {
            throw fail(.sliceOutOfRange, "slice [\(low):\(high)] is outside population '\(population.name)'", at: range, notes: [note])
        }
        guard low < high else {
            throw fail(.sliceOutOfRange, "slice [\(low):\(high)] of population '\(population.name)' is empty", at: range, notes: [note])
        }
    }

    /// The dimension of a PSP amplitude onto `model`: voltage jumps for delta synapses and readouts,
    /// current jumps for exponential currents (docs/MODEL.md §2).
    func weightDimension(onto target: ResolvedSlice) throws(Reported) -> Dimension {
        switch target.population.model {
        case .lifDelta, .linearReadout: return .voltage
        case .lifExp: return .current
        case .poissonSource, .spikeSource:
            throw fail(.invalidValue, "population '\(target.population.name)' is a \(target.population.model.name) and cannot receive input",
                       at: target.range)
        }
    }

    /// One weight dimension for all targets of one statement.
    func commonWeightDimension(_ targets: [ResolvedSlice]) throws(Reported) -> Dimension {
        let first = try weightDimension(onto: targets[0])
        for target in targets.dropFirst() where try weightDimension(onto: target) != first {
            throw fail(.dimensionMismatch, "targets mix voltage-jump and current-jump neurons; one weight cannot fit both",
                       at: target.range, notes: ["write separate statements for lif_delta and lif_exp targets"])
        }
        return first
    }
}
