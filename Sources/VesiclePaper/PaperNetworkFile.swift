// The paper's circuit files (Networks/paper/circuit_bayesian.vsl, circuit_prediction.vsl) read,
// rescaled and compiled in one place for PaperCircuit and PaperCircuitPrediction.

import VesicleDSL
import VesicleModel

enum PaperNetworkFile {
    /// The scale the circuit files are written for (`let scale = 0.02`).
    static let writtenScale = "0.02"

    /// The circuit file at `path`, its scale replaced by `scale` if given, compiled.
    /// - Throws: the file's read error; `PaperError.network` naming the file when it has no
    ///   `let scale = 0.02` line to rescale or does not compile (its diagnostics' messages).
    /// - Complexity: O(file length) plus the compile's.
    static func compile(path: String, scale: Double?) throws -> NetworkSpec {
        let compiled: (spec: NetworkSpec?, diagnostics: [Diagnostic])
        do {
            compiled = try NetworkLanguage.compile(fileAt: path, scale: scale, written: writtenScale)
        } catch let missing as NetworkLanguage.ScaleLineMissing {
            throw PaperError.network(path, "no line '\(missing.line)' to rescale")
        }
        guard let spec = compiled.spec else {
            throw PaperError.network(path, compiled.diagnostics.map(\.message).joined(separator: "; "))
        }
        return spec
    }
}
