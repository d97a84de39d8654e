import VesicleKernels
import VesicleModel

extension NetworkBuilder {
    /// The kernel-driven projections of a built network (`KernelCurrentProjection`), on the grid
    /// `SimulationSpec.kernelStep`; nil when the spec has none.
    static func buildKernelCurrents(
        _ spec: NetworkSpec, projections specs: [ProjectionSpec], built: [BuiltProjection], offsets: [Int],
        dynamics: [PopulationDynamics], window: Double, path: KernelConvolutionPath,
        paths: [String: KernelConvolutionPath] = [:]
    ) throws -> KernelCurrentSchedule? {
        let dt = spec.simulation.kernelStep
        var kernelProjections: [KernelCurrentProjection] = []
        for (q, proj) in specs.enumerated() {
            guard let kernelName = proj.kernel else { continue }
            guard let kernelSpec = spec.kernels.first(where: { $0.name == kernelName }) else {
                throw NetworkError.projection(proj.name, .kernelMissing(kernelName))
            }
            let kernel = try KernelSampling.sample(kernelSpec, dt: dt, projection: proj.name)
            let b = built[q]
            let source = b.sourcePopulation
            var externalSource: SourcePopulation?
            if case .source(let population) = dynamics[source] { externalSource = population }
            kernelProjections.append(try KernelCurrentProjection(
                projection: q, name: proj.name,
                sourcePopulation: (offsets[source], b.synapses.sourceCount, !dynamics[source].isDynamic),
                targetPopulation: b.targetPopulation, targetCount: spec.populations[b.targetPopulation].size,
                synapses: b.synapses, bayesian: b.bayesian, kernel: kernel, window: window,
                maximumDelay: b.synapses.distinctDelays.last ?? 0, path: paths[proj.name] ?? path, externalSource: externalSource))
        }
        return kernelProjections.isEmpty ? nil : KernelCurrentSchedule(projections: kernelProjections, dt: dt)
    }
}
