// libFuzzer entry point for the network language: any byte string must compile or produce
// diagnostics, never trap. Build and run as docs/LANGUAGE.md, "Fuzzing", shows.
// Without -DFUZZING the same target is a replay driver: `VesicleDSLFuzz FILE...` compiles each
// file (e.g. a crash input libFuzzer saved) and prints whether it was accepted.

import VesicleDSL

@_cdecl("LLVMFuzzerTestOneInput")
public func networkLanguageFuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let result = NetworkLanguage.compile(bytes: bytes, path: "fuzz.vsl")
    let failed = result.diagnostics.contains { $0.severity == .error }
    // The contract under test: a spec exactly when there is no error.
    precondition((result.spec == nil) == failed, "spec and diagnostics disagree")
    return 0
}

#if !FUZZING
@main
struct FuzzInputReplay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            let result = NetworkLanguage.compile(fileAt: path)
            print("\(path): \(result.spec == nil ? "rejected" : "accepted") with \(result.diagnostics.count) diagnostics")
        }
    }
}
#endif
