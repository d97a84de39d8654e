// Which build of the shared-posterior release loop runs (docs/MODEL.md §3; docs/DESIGN.md, Randomness): the
// portable Swift loop, or the C loop (`CVesicleVector`) built for AVX2 or AVX-512. They give the
// same bits, so the choice changes speed only.

import CVesicleVector

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A build of `releaseRow`'s loop for rows that share one posterior.
public enum ReleaseKernel: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// The Swift loop, on the baseline instruction set of the build (SSE2 on x86-64).
    case portable = 0
    case avx2 = 1
    case avx512 = 2

    public var description: String {
        switch self {
        case .portable: "portable"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }

    /// The kernels this CPU and operating system can run, portable first.
    public static let available: [ReleaseKernel] = {
        let bits = Int(vesicle_vector_kernels())
        return allCases.filter { $0 == .portable || bits & (1 << ($0.rawValue - 1)) != 0 }
    }()

    /// The kernel releases use: the widest available one, unless the environment variable
    /// `VESICLE_RELEASE_KERNEL` names another available one (`portable`, `avx2`, `avx512`), as one
    /// would pin a BLAS's code path to compare machines or builds. A name that is not an available
    /// kernel is reported on standard error, once, and the widest one is used.
    public static let selected: ReleaseKernel = {
        let widest = available.last ?? .portable
        guard let name = getenv("VESICLE_RELEASE_KERNEL").map({ String(cString: $0) }), !name.isEmpty else {
            return widest
        }
        if let requested = available.first(where: { $0.description == name }) { return requested }
        let names = available.map(\.description).joined(separator: ", ")
        let warning = "vesicle: VESICLE_RELEASE_KERNEL=\(name) is not a release kernel this CPU has (\(names)); using \(widest)\n"
        _ = warning.withCString { write(2, $0, strlen($0)) }
        return widest
    }()
}
