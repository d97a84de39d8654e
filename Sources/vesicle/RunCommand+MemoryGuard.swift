// `vesicle run` refuses, before allocating anything, a network whose peak memory estimate
// (MemoryEstimate) exceeds the memory available now (MemAvailable in /proc/meminfo, not the total)
// or `--memory-limit`; `--force-memory` runs it anyway (issue 15 §2).

import ArgumentParser
import Foundation
import VesicleDSL
import VesicleModel

struct MemoryGuardOptions: ParsableArguments {
    @Option(name: .customLong("memory-limit"), parsing: .unconditional,
            help: "Refuse to run when the peak memory estimate exceeds this, e.g. 8G, 512M, 2000000000 (bytes); default: the memory available now (MemAvailable).")
    var memoryLimit: String?

    @Flag(name: .customLong("force-memory"), help: "Run even when the memory estimate exceeds the limit.")
    var forceMemory = false

    func validate() throws {
        if let memoryLimit, Self.bytes(memoryLimit) == nil {
            throw ValidationError("--memory-limit \(memoryLimit) is not a size; write e.g. 8G, 512M or a number of bytes (1 to 2^63-1)")
        }
    }

    /// `8G`, `512M`, `64k`, `1.5GiB`, or bytes.
    static func bytes(_ text: String) -> Double? {
        let kibi = 1024.0
        let units: [(String, Double)] = [("GiB", kibi * kibi * kibi), ("MiB", kibi * kibi), ("KiB", kibi), ("TiB", kibi * kibi * kibi * kibi),
                                         ("G", kibi * kibi * kibi), ("M", kibi * kibi), ("K", kibi), ("k", kibi), ("T", kibi * kibi * kibi * kibi), ("B", 1)]
        var number = text.trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        for (suffix, value) in units where number.hasSuffix(suffix) {
            number = String(number.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            scale = value
            break
        }
        guard let value = Double(number), value.isFinite, value >= 1, value * scale < 9.2e18 else { return nil }
        return value * scale
    }

    /// MemAvailable from /proc/meminfo, bytes; nil where there is none (then physical memory).
    static func availableMemory() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = Double(fields[1]) { return kib * 1024 }
        }
        return nil
    }

    /// Throws a refusal naming the estimate, its largest parts and the limit. `copies`: processes on
    /// this machine that each hold the whole network (ranks, until connectivity is built per target).
    /// - Parameter ranks: the run's MPI ranks, of which `copies` run on this machine, each holding
    ///   its part (`MemoryEstimate(spec:ranks:)`).
    func check(_ spec: NetworkSpec, copies: Int = 1, ranks: Int = 1) throws {
        let estimate = MemoryEstimate(spec: spec, ranks: ranks)
        let peakBytes = estimate.peakBytes * Double(copies)
        let copiesNote = copies > 1 ? " for the \(copies) ranks on this machine (each holds its part of the static synapses and the rest whole)" : ""
        let chosen: (limit: Double, source: String)
        if let memoryLimit, let bytes = Self.bytes(memoryLimit) {
            chosen = (bytes, "--memory-limit")
        } else if let available = Self.availableMemory() {
            chosen = (available, "the memory available now (MemAvailable)")
        } else {
            chosen = (Double(ProcessInfo.processInfo.physicalMemory), "physical memory")
        }
        let (limit, source) = chosen
        guard peakBytes > limit else { return }
        let parts = estimate.parts.prefix(4).map { "\($0.name) \(ByteCount.formatted(Int(min($0.bytes, 9e18))))" }
        let message = "the network needs an estimated \(ByteCount.formatted(Int(min(peakBytes, 9e18)))) at its peak\(copiesNote), more than \(ByteCount.formatted(Int(min(limit, 9e18)))), \(source)\n"
            + "  largest parts: " + parts.joined(separator: ", ") + "\n"
            + "  nothing was allocated; pass --force-memory to run it anyway, or --memory-limit to set the limit"
        if forceMemory {
            Notice.write("warning: \(message.replacingOccurrences(of: "nothing was allocated; pass --force-memory to run it anyway, or --memory-limit to set the limit", with: "running anyway (--force-memory)"))")
            return
        }
        throw CommandFailure(message)
    }
}

/// The process's peak resident set size, bytes: VmHWM from /proc/self/status (nil elsewhere).
func peakResidentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let fields = line.split(separator: " ")
        if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
    }
    return nil
}
