// Lowering of `kernel` statements and of the `kernel` clause of `connect` (kernel-driven inputs,
// docs/DESIGN.md "FFT where it pays"; the shapes are those of KernelSpec).

import Foundation
import VesicleModel

extension Checker {
    static let kernelShapes = ["exponential", "alpha", "difference_of_exponentials", "sampled"]
    static let kernelNormalizations = ["none", "peak", "integral"]

    func lowerKernel(name: Name, shape: Expression) {
        guard definitions[name.text]?.range == name.range else { return }
        attempt { () throws(Reported) in
            let (shapeName, arguments) = try callParts(shape, among: Self.kernelShapes, what: "kernel shape")
            let owner = "kernel shape '\(shapeName.text)'"
            let parameters: [String]
            switch shapeName.text {
            case "exponential", "alpha": parameters = ["tau"]
            case "difference_of_exponentials": parameters = ["tau_rise", "tau_decay"]
            default: parameters = ["values", "step"]
            }
            let bound = try bind(arguments, to: parameters + ["normalize"], required: parameters, of: owner, at: shape.range)
            var failed = false
            let normalization = collect(&failed) { () throws(Reported) in
                try bound["normalize"].map { e throws(Reported) in
                    KernelNormalization(rawValue: try choice(e, "normalization", among: Self.kernelNormalizations))!
                } ?? KernelNormalization.none
            }
            let kernelShape = collect(&failed) { () throws(Reported) in try self.kernelShape(shapeName.text, bound) }
            guard !failed, let normalization, let kernelShape else { throw Reported() }
            if case .sampled(let values, let step) = kernelShape {
                try checkNormalizable(values, step: step, normalization, at: bound["normalize"]?.range ?? shape.range)
            }
            spec.kernels.append(KernelSpec(name: name.text, shape: kernelShape, normalization: normalization))
            kernelRanges[name.text] = name.range
        }
    }

    private func kernelShape(_ name: String, _ bound: BoundArguments) throws(Reported) -> KernelShape {
        switch name {
        case "exponential":
            return .exponential(tau: try positive(bound["tau"]!, .time, "the kernel time constant tau"))
        case "alpha":
            return .alpha(tau: try positive(bound["tau"]!, .time, "the kernel time constant tau"))
        case "difference_of_exponentials":
            var failed = false
            let rise = collect(&failed) { () throws(Reported) in try positive(bound["tau_rise"]!, .time, "the rise time constant tau_rise") }
            let decay = collect(&failed) { () throws(Reported) in try positive(bound["tau_decay"]!, .time, "the decay time constant tau_decay") }
            guard !failed, let rise, let decay else { throw Reported() }
            // e^{-s/tau_decay} - e^{-s/tau_rise} is positive and rises then decays only if tau_rise < tau_decay.
            guard rise < decay else {
                throw fail(.outOfRange,
                           "tau_rise (\(Quantity(rise, .time).formatted)) must be shorter than tau_decay (\(Quantity(decay, .time).formatted))",
                           at: bound["tau_rise"]!.range,
                           notes: ["the kernel is e^(-s/tau_decay) - e^(-s/tau_rise); with tau_rise >= tau_decay it is zero or negative"])
            }
            return .differenceOfExponentials(tauRise: rise, tauDecay: decay)
        default:
            var failed = false
            let step = collect(&failed) { () throws(Reported) in try samplingStep(bound["step"]!) }
            let values = collect(&failed) { () throws(Reported) in try kernelValues(bound["values"]!) }
            guard !failed, let step, let values else { throw Reported() }
            return .sampled(values: values, step: step)
        }
    }

    /// Named check `out-of-range` for a sampled kernel's step: the kernel is read on the grid of
    /// kernel-driven currents (`kernel_step`), so its samples must fall on grid points: the step equals
    /// the kernel step or is a whole multiple of it.
    private func samplingStep(_ expression: Expression) throws(Reported) -> Double {
        let step = try positive(expression, .time, "the sampling step of a kernel")
        let grid = spec.simulation.kernelStep
        let ratio = step / grid
        let multiple = ratio.rounded()
        guard multiple >= 1, abs(ratio - multiple) <= 1e-9 * ratio else {
            let origin = kernelStepRange.map { "the kernel step is set at line \($0.line)" }
                ?? "the kernel step is its default; set it with: simulate ... kernel_step \(Quantity(step, .time).formatted)"
            throw fail(.outOfRange,
                       "the kernel's sampling step (\(Quantity(step, .time).formatted)) does not fit the simulation's kernel grid: it must equal the kernel step (\(Quantity(grid, .time).formatted)) or be a whole multiple of it",
                       at: expression.range, notes: [origin])
        }
        return step
    }

    /// `[0, 0.5, 1, ...]` (plain numbers) or `file("kernel.txt")`.
    private func kernelValues(_ expression: Expression) throws(Reported) -> [Double] {
        switch expression.kind {
        case .list(let items):
            guard !items.isEmpty else { throw fail(.invalidValue, "a sampled kernel needs at least one value", at: expression.range) }
            var values: [Double] = []
            var failed = false
            for item in items {
                if let value = collect(&failed, { () throws(Reported) in try quantity(item, .dimensionless, "a kernel value") }) {
                    values.append(value)
                }
            }
            if failed { throw Reported() }
            return values
        case .call(let name, let arguments) where name.text == "file":
            let bound = try bind(arguments, to: ["path"], required: ["path"], of: "file", at: expression.range)
            return try readKernelFile(try string(bound["path"]!, "the file path"), at: expression.range)
        default:
            throw fail(.invalidValue, "kernel values must be a list such as [0, 0.5, 1] or file(\"kernel.txt\")",
                       at: expression.range)
        }
    }

    /// One plain number per line, relative to the network file; blank lines and `#` comments are
    /// skipped. Every problem names the file and, where there is one, the line within it.
    private func readKernelFile(_ relativePath: String, at range: SourceRange) throws(Reported) -> [Double] {
        let fullPath = relativePath.hasPrefix("/") || baseDirectory.isEmpty
            ? relativePath : (baseDirectory as NSString).appendingPathComponent(relativePath)
        spec.readFiles.paths.append(fullPath)  // hashed into checkpoints (docs/CHECKPOINT.md)
        guard let data = FileManager.default.contents(atPath: fullPath) else {
            throw fail(.unreadableFile, "cannot read kernel file '\(fullPath)'", at: range)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw fail(.unreadableFile, "kernel file '\(fullPath)' is not valid UTF-8 text", at: range)
        }
        var values: [Double] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let location = "kernel file '\(relativePath)', line \(number + 1)"
            guard let value = Double(trimmed) else {
                throw fail(.invalidValue, "\(location): '\(trimmed)' is not a number", at: range,
                           notes: ["a kernel file holds one plain number per line (blank lines and # comments are skipped)"])
            }
            guard value.isFinite else {
                throw fail(.outOfRange, "\(location): '\(trimmed)' is not finite", at: range)
            }
            values.append(value)
        }
        guard !values.isEmpty else {
            throw fail(.invalidValue, "kernel file '\(relativePath)' is empty: it holds no values", at: range,
                       notes: ["a kernel file holds one plain number per line"])
        }
        return values
    }

    /// Named check `out-of-range`: a kernel scaled to peak 1 or integral 1 must have a non-zero
    /// peak or integral (the closed-form shapes always do).
    private func checkNormalizable(_ values: [Double], step: Double, _ normalization: KernelNormalization,
                                   at range: SourceRange) throws(Reported) {
        switch normalization {
        case .none:
            return
        case .peak where values.allSatisfy({ $0 == 0 }):
            throw fail(.outOfRange, "a kernel whose values are all zero cannot be normalised by its peak", at: range)
        case .integral where values.reduce(0, +) * step == 0:
            throw fail(.outOfRange, "a kernel whose integral is zero cannot be normalised by its integral", at: range)
        default:
            return
        }
    }

    /// The kernel named by a `connect` clause.
    func kernelReference(_ clause: Clause) throws(Reported) -> String {
        guard let kernelName = clause.value.identifier else {
            throw fail(.invalidValue, "'kernel' takes a kernel name", at: clause.value.range)
        }
        guard spec.kernels.contains(where: { $0.name == kernelName }) else {
            if definitions[kernelName]?.kind == .kernel { throw Reported() }  // its declaration failed, already reported
            if let definition = definitions[kernelName] {
                throw fail(.invalidValue, "'\(kernelName)' is a \(definition.kind.rawValue), not a kernel", at: clause.value.range)
            }
            let candidates = definitions.filter { $0.value.kind == .kernel }.map(\.key)
            throw checkUndefinedName(kernelName, kind: "kernel", candidates: candidates, at: clause.value.range,
                                     notes: candidates.isEmpty ? ["declare it: kernel \(kernelName) = alpha(tau = 5 ms)"] : [])
        }
        usedKernels.insert(kernelName)
        return kernelName
    }

    /// A kernel-driven projection adds weight x kernel to the input current of integrate-and-fire
    /// neurons, so its targets must have one.
    func checkKernelTargets(_ targets: [ResolvedSlice]) throws(Reported) {
        for target in targets where target.population.model.lifParameters == nil {
            throw fail(.invalidValue,
                       "a kernel projection drives the input current of lif_delta or lif_exp neurons; '\(target.population.name)' is a \(target.population.model.name)",
                       at: target.range)
        }
    }
}
