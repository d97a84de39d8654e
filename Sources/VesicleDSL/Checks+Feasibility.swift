// Whole-network checks for what the builder would refuse or the run could not finish, reported at
// the place in the file that decides it (issue 15: "every condition the builder or the run can
// refuse is a located diagnostic at check time"). The bounds are `ParameterBounds`, which the
// builder's validation uses too (NetworkBuilder+Validation.swift).

import Foundation
import VesicleModel

extension Checker {
    /// Named check `infeasible`. Runs on an error-free spec.
    ///
    /// - Complexity: O(statements + populations + projections + recordings).
    func checkFeasibility(_ statements: [Statement]) {
        let window = checkWindowCount()
        checkStepBounds(window: window)
        checkSourceRates(window: window)
        checkFiringRates(window: window)
        checkSampling(statements, window: window)
        checkReadoutNoiseAgreement()
    }

    private var totalTime: Double { spec.simulation.warmup + spec.simulation.duration }

    private func isDynamic(_ population: String) -> Bool {
        spec.population(named: population)?.model.lifParameters != nil
    }

    /// The smallest delay a projection's draws can take: random delays are stored on the
    /// resolution grid, at least one step.
    private func smallestDelay(_ delay: Distribution) -> Double {
        switch delay {
        case .constant(let value): return value
        case .uniform(let low, _): return max(low, spec.simulation.delayResolution)
        default: return spec.simulation.delayResolution
        }
    }

    /// The window the scheduler will use (the shortest delay out of a neuron population, docs/DESIGN.md
    /// "Windows"), and a refusal when (warm-up + duration) / window is beyond
    /// `ParameterBounds.maximumWindows` (`delay 1e-300 ms` kept a run at 0 ms for ever).
    private func checkWindowCount() -> Double {
        var window = ParameterBounds.defaultWindow
        var shortest: (Double, ProjectionOrigin)?
        for (projection, origin) in zip(spec.projections, projectionOrigins) where isDynamic(projection.source.population) {
            let d = smallestDelay(projection.delay)
            if d < (shortest?.0 ?? .infinity) { shortest = (d, origin) }
        }
        if let delay = shortest?.0, let origin = shortest?.1 {
            window = delay
            let windows = totalTime / delay
            if !(windows <= ParameterBounds.maximumWindows) || totalTime + delay == totalTime {
                report(.infeasible,
                       "a delay of \(Quantity(delay, .time).formatted) out of a neuron population makes the run \(Self.formatCount(windows)) windows long",
                       at: origin.delay,
                       notes: ["the scheduler advances in windows no longer than the shortest recurrent delay (docs/DESIGN.md); at most \(Self.formatCount(ParameterBounds.maximumWindows)) windows are allowed",
                               "for \(Quantity(totalTime, .time).formatted) of simulated time the delay must be at least \(Quantity(totalTime / ParameterBounds.maximumWindows, .time).formatted)"])
            }
        }
        return window
    }

    /// The delay resolution and the kernel step: at least `ParameterBounds.minimumStep`, and a
    /// kernel grid whose step count and look-ahead ring fit (KernelCurrentProjection refuses more
    /// than 2^28 ring values).
    private func checkStepBounds(window: Double) {
        let simulation = spec.simulation
        if simulation.delayResolution < ParameterBounds.minimumStep {
            report(.infeasible, "the delay resolution must be at least \(Quantity(ParameterBounds.minimumStep, .time).formatted), found \(Quantity(simulation.delayResolution, .time).formatted)",
                   at: simulationRange ?? .start, notes: ["delays are stored as whole steps of the resolution"])
        }
        let kernelProjections = spec.projections.filter { $0.kernel != nil }
        guard !kernelProjections.isEmpty else { return }
        let step = simulation.kernelStep
        let at = kernelStepRange ?? simulationRange ?? .start
        if step < ParameterBounds.minimumStep || !(totalTime / step <= ParameterBounds.maximumKernelSteps) {
            report(.infeasible, "the kernel step \(Quantity(step, .time).formatted) is too fine: the run would take \(Self.formatCount(totalTime / step)) kernel steps",
                   at: at, notes: ["the kernel step must be at least \(Quantity(ParameterBounds.minimumStep, .time).formatted) and give at most \(Self.formatCount(ParameterBounds.maximumKernelSteps)) steps over warm-up plus duration"])
            return
        }
        for projection in kernelProjections {
            let targets = Double(projection.target.range?.count ?? spec.population(named: projection.target.population)?.size ?? 0)
            let largestDelay: Double
            switch projection.delay {
            case .constant(let d): largestDelay = d
            case .uniform(_, let high): largestDelay = high
            default: largestDelay = 0
            }
            let reach = ((window + largestDelay) / step).rounded(.up) + 4
            if targets * reach > Double(1 << 28) {
                report(.infeasible, "projection '\(projection.name)': \(Self.formatCount(targets)) targets x \(Self.formatCount(reach)) kernel steps of future current exceed 2^28 values (2 GiB)",
                       at: at, notes: ["use a coarser kernel_step, fewer targets or shorter delays"])
            }
        }
    }

    /// A rate distribution's 1-in-10^9 upper quantile, and its mean, Hz.
    private func rateExtent(_ rate: Distribution) -> (high: Double, mean: Double) {
        switch rate {
        case .constant(let r): return (r, r)
        case .uniform(let low, let high): return (high, (low + high) / 2)
        case .normal(let mean, let sd, _): return (mean + 6 * sd, max(mean, 0) + sd)
        case .lognormal(let mu, let sigma, _): return (exp(mu + 6 * sigma), exp(mu + sigma * sigma / 2))
        case .boundedNormal(let mean, let sd, let lower, let upper):
            return (min(mean + 6 * sd, upper), min(max(mean, lower, 0) + sd, upper))
        }
    }

    /// Poisson sources: rates within `ParameterBounds.maximumRate` (a log-normal with a huge sigma
    /// draws rates near 1e300), and one window's spikes within `maximumEventsPerWindow`.
    private func checkSourceRates(window: Double) {
        for population in spec.populations {
            guard case .poissonSource(let rate, _) = population.model else { continue }
            let range = populationRanges[population.name] ?? .start
            let (high, mean) = rateExtent(rate)
            if !(high <= ParameterBounds.maximumRate) {
                report(.infeasible, "the rates of poisson_source population '\(population.name)' reach \(Quantity(high, .frequency).formatted) (the 1-in-10^9 upper quantile)",
                       at: range, notes: ["rates must stay below \(Quantity(ParameterBounds.maximumRate, .frequency).formatted); narrow the distribution (a smaller sigma)"])
                continue
            }
            let events = Double(population.size) * mean * window / 1000
            if events > ParameterBounds.maximumEventsPerWindow {
                report(.infeasible, "poisson_source population '\(population.name)' emits about \(Self.formatCount(events)) spikes per \(Quantity(window, .time).formatted) window, more than one window can hold (\(Self.formatCount(ParameterBounds.maximumEventsPerWindow)))",
                       at: range, notes: ["lower the rate or the size, or shorten the delays out of neuron populations"])
            }
        }
    }

    /// Neurons whose bias alone drives them faster than `ParameterBounds.maximumRate`
    /// (`I_e = 1e12 pA` with `t_ref = 0` fires every few fs), or beyond one window's spikes.
    private func checkFiringRates(window: Double) {
        for population in spec.populations {
            guard let p = population.model.lifParameters else { continue }
            let rate = ParameterBounds.biasDrivenRate(p)
            let range = populationRanges[population.name] ?? .start
            let events = Double(population.size) * rate * window / 1000
            guard !(rate <= ParameterBounds.maximumRate) || events > ParameterBounds.maximumEventsPerWindow else { continue }
            let cause = p.escapeNoise != nil ? "its escape hazard at V_inf" : "its bias current alone"
            report(.infeasible,
                   "population '\(population.name)' would fire at \(Quantity(rate, .frequency).formatted) per neuron (\(cause), V_inf = \(Quantity(p.asymptoticPotential, .voltage).formatted))",
                   at: range,
                   notes: ["a neuron may fire at most \(Quantity(ParameterBounds.maximumRate, .frequency).formatted), and a window hold at most \(Self.formatCount(ParameterBounds.maximumEventsPerWindow)) spikes",
                           "lower I_e, or give a refractory period (t_ref) that bounds the rate"])
        }
    }

    /// Membrane and posterior samples: a window's sample times and the rows of the whole run
    /// within bounds (`every 1e-9 ms` once allocated a window's 10^9 sample times and died).
    private func checkSampling(_ statements: [Statement], window: Double) {
        var recordings = spec.recordings.makeIterator()
        var rows = 0.0
        var lastEvery: SourceRange?
        for statement in statements {
            guard case .record(_, let subjects, let clauses) = statement.kind else { continue }
            let every = clauses.first { $0.keyword.text == "every" }?.value.range ?? statement.range
            for _ in subjects {
                guard let recording = recordings.next() else { return }
                let interval: Double, count: Double
                switch recording.kind {
                case .membrane(let i):
                    interval = i
                    let size = spec.population(named: recording.source?.population ?? "")?.size ?? 0
                    count = Double(recording.source?.range?.count ?? size)
                case .posterior(let projection, let i, let limit):
                    interval = i
                    let synapses = spec.projections.first { $0.name == projection }
                        .map { expectedSynapseCount(of: $0, in: spec) } ?? 0
                    count = limit.map { min(Double($0), synapses) } ?? synapses
                default:
                    continue
                }
                lastEvery = every
                let perWindow = window / interval
                if perWindow > ParameterBounds.maximumSamplesPerWindow {
                    report(.infeasible, "sampling every \(Quantity(interval, .time).formatted) takes \(Self.formatCount(perWindow)) samples per \(Quantity(window, .time).formatted) window",
                           at: every, notes: ["at most \(Self.formatCount(ParameterBounds.maximumSamplesPerWindow)) per window; sample less often"])
                    return
                }
                rows += (spec.simulation.duration / interval).rounded(.down) * count
            }
        }
        if rows > ParameterBounds.maximumSampleRows, let lastEvery {
            report(.infeasible, "the recordings would write \(Self.formatCount(rows)) sample rows, more than \(Self.formatCount(ParameterBounds.maximumSampleRows))",
                   at: lastEvery, notes: ["sample less often, record fewer neurons (a slice such as E[0:100]) or a shorter duration"])
        }
    }

    /// A linear readout's sigma_0 and its feedback block's sigma_0 are one noise (docs/MODEL.md §2):
    /// the feedback experiment refuses them when they differ.
    private func checkReadoutNoiseAgreement() {
        for feedback in spec.feedbacks {
            guard let population = spec.population(named: feedback.target),
                  case .linearReadout(let readout) = population.model, readout.noiseSD != feedback.noiseSD else { continue }
            report(.infeasible,
                   "the readout '\(population.name)' has sigma_0 = \(Quantity(readout.noiseSD, .voltage).formatted) but its feedback block has sigma_0 = \(Quantity(feedback.noiseSD, .voltage).formatted); they are one membrane noise and must agree",
                   at: feedbackRanges[feedback.target] ?? populationRanges[population.name] ?? .start,
                   notes: ["a value not given is its default, 2 mV; give the same sigma_0 in 'linear_readout(sigma_0 = ...)' and in the feedback block"])
        }
    }
}
