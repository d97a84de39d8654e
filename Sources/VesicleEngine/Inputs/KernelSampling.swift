import VesicleKernels
import VesicleModel

/// NetworkSpec kernels (VesicleModel) sampled on the engine's current grid (VesicleKernels).
enum KernelSampling {
    static func shape(_ shape: VesicleModel.KernelShape, name: String) -> VesicleKernels.KernelShape {
        switch shape {
        case .exponential(let tau): return .exponential(tau: tau)
        case .alpha(let tau): return .alpha(tau: tau)
        case .differenceOfExponentials(let rise, let decay): return .differenceOfExponentials(tauRise: rise, tauDecay: decay)
        case .sampled(let values, let step): return .sampled(values: values, step: step, source: "kernel '\(name)'")
        }
    }

    static func normalisation(_ n: VesicleModel.KernelNormalization) -> KernelNormalisation {
        switch n {
        case .none: return .none
        case .peak: return .peak
        case .integral: return .integral
        }
    }

    /// The kernel of `spec` on the grid dt, or a NetworkError naming the projection and the kernel.
    static func sample(_ spec: KernelSpec, dt: Double, projection: String) throws -> SampledKernel {
        do {
            return try SampledKernel(shape(spec.shape, name: spec.name), dt: dt, normalisation: normalisation(spec.normalization))
        } catch let error as KernelError {
            throw NetworkError.projection(projection, .kernelInvalid(kernel: spec.name, reason: "\(error)"))
        }
    }
}
