// Whole-network checks, run on the lowered spec once every statement is free of errors.

import Foundation
import VesicleModel

extension Checker {
    func runNetworkChecks() {
        checkLearningRulesHaveFeedback()
        checkSpikeLearningFits()
        checkReleaseModesFitRules()
        checkSynapseDynamicsFit()
        checkMemoryEstimate()
        warnAboutUnusedPopulations()
        warnAboutUnusedKernels()
        warnAboutDelaysBelowResolution()
        warnAboutSimulationTimes()
    }

    private func bayesianSpec(of projection: ProjectionSpec) -> BayesianSynapseSpec? {
        if case .bayesian(let bayesian)? = spec.synapseType(named: projection.synapseType)?.kind { return bayesian }
        return nil
    }

    /// Named check `feedback-missing`: a projection whose Bayesian synapses learn from feedback
    /// (docs/MODEL.md §4) must target a population that receives it.
    func checkLearningRulesHaveFeedback() {
        let fed = Set(spec.feedbacks.map(\.target))
        for (projection, origin) in zip(spec.projections, projectionOrigins) {
            guard let bayesian = bayesianSpec(of: projection), bayesian.rule.needsFeedback,
                  !fed.contains(projection.target.population) else { continue }
            report(.feedbackMissing,
                   "synapse type '\(projection.synapseType)' learns with rule '\(bayesian.rule.name)', which needs feedback, but population '\(projection.target.population)' receives none",
                   at: origin.synapseType,
                   notes: ["declare it: feedback \(projection.target.population) { bin = 10 ms, sigma_0 = 2 mV, teacher = ou() }"])
        }
    }

    /// Named check `release-mode-unusable`: reinforcement learning infers from the released noise
    /// (docs/MODEL.md §4, g = delta^2/sigma_delta^2 - 1 with m - w), so releasing the mean leaves it nothing.
    func checkReleaseModesFitRules() {
        for synapseType in spec.synapseTypes {
            guard case .bayesian(let bayesian) = synapseType.kind, bayesian.release == .mean else { continue }
            switch bayesian.rule {
            case .reinforcement, .classicalReinforcement:
                let range = definitions[synapseType.name]?.range ?? .start
                report(.releaseModeUnusable,
                       "rule '\(bayesian.rule.name)' of synapse type '\(synapseType.name)' needs noisy release, but release is 'mean'",
                       at: range, notes: ["use release = fixed_ratio(k = 0.0877 mV) as the paper does, or posterior or gaussian"])
            default:
                break
            }
        }
    }

    /// Named check `memory-limit`: refuse a network whose estimated size exceeds physical memory.
    func checkMemoryEstimate() {
        let estimate = estimatedMemoryBytes(of: spec)
        guard UInt64(estimate) > memoryLimit else { return }
        report(.memoryLimit,
               "the network needs an estimated \(ByteCount.formatted(estimate)), more than the \(ByteCount.formatted(Int(clamping: memoryLimit))) of memory available",
               at: simulationRange ?? .start,
               notes: ["\(spec.populations.reduce(0) { $0 + $1.size }) neurons; \(Self.formatCount(spec.projections.reduce(0) { $0 + expectedSynapseCount(of: $1, in: spec) })) synapses expected"])
    }

    static func formatCount(_ count: Double) -> String {
        count < 1e6 ? String(format: "%.0f", count) : String(format: "%.3g", count)
    }

    /// Warning: a population that nothing records, connects, drives or teaches does nothing observable.
    func warnAboutUnusedPopulations() {
        var used = Set<String>()
        for projection in spec.projections {
            used.insert(projection.source.population)
            used.insert(projection.target.population)
        }
        for input in spec.inputs { used.formUnion(input.targets.map(\.population)) }
        for recording in spec.recordings { if let source = recording.source { used.insert(source.population) } }
        for feedback in spec.feedbacks { used.insert(feedback.target) }
        for population in spec.populations where !used.contains(population.name) {
            warn("population '\(population.name)' is never connected, driven or recorded",
                   at: populationRanges[population.name] ?? .start)
        }
    }

    /// Warning: a kernel that no projection uses.
    func warnAboutUnusedKernels() {
        for kernel in spec.kernels where !usedKernels.contains(kernel.name) {
            warn("kernel '\(kernel.name)' is never used", at: kernelRanges[kernel.name] ?? .start,
                 notes: ["use it with: connect ... kernel \(kernel.name) weight ... delay ..."])
        }
    }

    /// Warning: random delays are stored on the resolution grid, so delays below one grid step
    /// cannot be represented.
    func warnAboutDelaysBelowResolution() {
        let resolution = spec.simulation.delayResolution
        for (projection, origin) in zip(spec.projections, projectionOrigins) {
            let low: Double
            switch projection.delay {
            case .constant(let value): low = value
            case .uniform(let lower, _): low = lower
            case .boundedNormal(_, _, let lower, _): low = lower
            default: low = 0
            }
            if low < resolution {
                warn("delay of '\(projection.name)' can be below the delay resolution \(Quantity(resolution, .time).formatted)",
                       at: origin.delay, notes: ["set a finer grid with: simulate ... resolution 0.01 ms"])
            }
        }
    }

    func warnAboutSimulationTimes() {
        let simulation = spec.simulation
        if simulation.warmup > simulation.duration {
            warn("the warm-up (\(Quantity(simulation.warmup, .time).formatted)) is longer than the recorded duration (\(Quantity(simulation.duration, .time).formatted))",
                   at: simulationRange ?? .start)
        }
        for feedback in spec.feedbacks where feedback.bin > simulation.duration {
            warn("feedback bin of '\(feedback.target)' is longer than the whole simulation",
                   at: feedbackRanges[feedback.target] ?? .start)
        }
        if spec.recordings.isEmpty {
            warn("nothing is recorded; add e.g. 'record spikes <population>'", at: .start)
        }
    }
}
