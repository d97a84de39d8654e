// swift-tools-version:6.0
// Vesicle: an exact event-driven spiking-network simulator with Bayesian synapses.
// Modules follow the one-way data flow of docs/DESIGN.md:
//   VesicleDSL -> VesicleModel <- VesicleEngine -> VesicleSynapses, VesicleIO
// so the compiler enforces that the engine never sees text and the parser never sees the engine.
import Foundation
import PackageDescription

// Open MPI (ranks, docs/DESIGN.md "Ranks") is linked unless VESICLE_WITHOUT_MPI=1 is set when
// building; such a build refuses to run under mpirun with more than one rank and says why.
let withMPI = ProcessInfo.processInfo.environment["VESICLE_WITHOUT_MPI"] == nil

let package = Package(
    name: "Vesicle",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vesicle", targets: ["vesicle"]),
        .library(name: "VesicleEngine", targets: ["VesicleEngine"]),
        .library(name: "VesicleDSL", targets: ["VesicleDSL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // FFTW3 through pkg-config; Debian package libfftw3-dev.
        .systemLibrary(
            name: "CFFTW",
            pkgConfig: "fftw3",
            providers: [.apt(["libfftw3-dev"])]
        ),
        // HDF5 (SONATA spike files) through pkg-config; Debian package libhdf5-dev.
        .systemLibrary(
            name: "CHDF5",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]
        ),
        // Cairo (PNG and PDF figures, text in a real font through fontconfig and FreeType) through
        // pkg-config; Debian packages libcairo2-dev and fonts-dejavu-core.
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]
        ),
        // Open MPI through pkg-config (ompi-c); Debian packages libopenmpi-dev and openmpi-bin.
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
        ),
        // Random123's counter-based generators (Philox, Threefry), header-only; Debian librandom123-dev.
        .systemLibrary(
            name: "CRandom123",
            providers: [.apt(["librandom123-dev"])]
        ),
        // Hand-vectorised loops built for AVX2 and AVX-512 and chosen at run time (Swift compiles a
        // function for one instruction set only): the log-normal release of a shared-posterior row.
        .target(name: "CVesicleVector"),
        // Plain values in canonical units (ms, mV, pA, pF, Hz); no behaviour.
        .target(name: "VesicleModel"),
        // Seeded, independent random streams per purpose.
        .target(name: "VesicleRandom", dependencies: ["VesicleModel", "CRandom123"]),
        // File formats and atomic, streaming writers.
        .target(name: "VesicleIO", dependencies: ["CHDF5"]),
        // Figures: a backend-independent description, drawn as SVG text natively and as PNG and PDF by Cairo.
        .target(name: "VesiclePlot", dependencies: ["CCairo"]),
        // Bayesian synapse mathematics: posterior, release modes, learning rules, teachers.
        .target(name: "VesicleSynapses", dependencies: ["VesicleModel", "VesicleRandom", "CVesicleVector"]),
        // FFT and direct convolution, kernel shapes.
        .target(name: "VesicleKernels", dependencies: ["CFFTW"]),
        // Scheduler, neuron models, builder, RNG streams, recorders.
        .target(
            name: "VesicleEngine",
            dependencies: [
                "VesicleModel", "VesicleRandom", "VesicleSynapses", "VesicleKernels",
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        // The spike exchange between MPI ranks (`SpikeExchange` of the engine over Open MPI).
        .target(name: "VesicleMPI", dependencies: ["VesicleEngine", "CMPI"]),
        // Lexer, parser, AST, checker, diagnostics: text -> NetworkSpec.
        .target(name: "VesicleDSL", dependencies: ["VesicleModel"]),
        // Benchmark workloads that are not part of a simulation (docs/BENCHMARKS.md §3, §4): the
        // tracking experiment timed, the convolution paths timed. Only `vesicle bench` uses them.
        .target(name: "VesicleBench", dependencies: ["VesicleModel", "VesicleSynapses", "VesicleKernels"]),
        // Statistics over recordings.
        .target(name: "VesicleAnalysis", dependencies: ["VesicleKernels"]),
        // The papers' experiments (docs/MODEL.md §6): jobs, tables and figures of `vesicle paper`.
        .target(
            name: "VesiclePaper",
            dependencies: ["VesicleModel", "VesicleDSL", "VesicleSynapses", "VesicleAnalysis", "VesiclePlot", "VesicleRandom", "VesicleEngine"]
        ),
        .executableTarget(
            name: "vesicle",
            dependencies: [
                "VesicleModel", "VesicleEngine", "VesicleDSL", "VesicleKernels",
                "VesicleAnalysis", "VesicleIO", "VesiclePlot", "VesicleSynapses", "VesicleRandom", "VesiclePaper", "VesicleBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + (withMPI ? ["VesicleMPI"] : []),
            swiftSettings: withMPI ? [.define("VESICLE_MPI")] : []
        ),
        // libFuzzer target for the network language (build with --sanitize=fuzzer -Xswiftc -DFUZZING);
        // without the flag it replays saved inputs.
        .executableTarget(name: "VesicleDSLFuzz", dependencies: ["VesicleDSL"], path: "Fuzz/VesicleDSLFuzz"),
        .testTarget(name: "VesicleRandomTests", dependencies: ["VesicleRandom", "VesicleModel"]),
        .testTarget(name: "VesicleEngineTests", dependencies: ["VesicleEngine", "VesicleModel", "VesicleAnalysis"]),
        .testTarget(name: "VesicleDSLTests", dependencies: ["VesicleDSL", "VesicleModel"]),
        .testTarget(name: "VesicleKernelsTests", dependencies: ["VesicleKernels", "CFFTW"]),
        .testTarget(name: "VesicleSynapsesTests", dependencies: ["VesicleSynapses", "VesicleModel", "VesicleRandom", "CVesicleVector"]),
        .testTarget(name: "VesicleIOTests", dependencies: ["VesicleIO"]),
        .testTarget(name: "VesiclePlotTests", dependencies: ["VesiclePlot", "CCairo"]),
        .testTarget(name: "VesicleAnalysisTests", dependencies: ["VesicleAnalysis"]),
        .testTarget(name: "VesicleBenchTests", dependencies: ["VesicleBench", "VesicleModel", "VesicleSynapses"]),
        // Runs the built `vesicle` executable as a user would; depends on no module on purpose, so it
        // tests the command line and nothing else (build with `swift build --build-tests` first).
        .testTarget(name: "CLITests"),
        // Hostile inputs through the built tool as timeout- and ulimit-bounded subprocesses (issue 15);
        // like CLITests it depends on no module.
        .testTarget(name: "RobustnessTests"),
        // `mpirun -np R vesicle run` against the one-process run, byte for byte (issue 16); like
        // CLITests it depends on no module and runs the built executable.
        .testTarget(name: "MPITests"),
        .testTarget(
            name: "PaperTests",
            dependencies: ["VesicleDSL", "VesicleModel", "VesicleSynapses", "VesicleAnalysis", "VesiclePaper", "VesicleEngine"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["VesicleDSL", "VesicleEngine", "VesicleModel", "VesicleAnalysis", "VesicleSynapses"]
        ),
    ]
)

if !withMPI { package.targets.removeAll { $0.name == "CMPI" || $0.name == "VesicleMPI" } }
