import Foundation
import Glibc

/// A run's output directory. Creating one checks, before any simulation, that the directory can
/// be written (the error names the path) and refuses to replace an earlier run's files unless
/// `force` is set (DESIGN.md: existing output is never silently overwritten).
public final class RunDirectory {
    public let path: String
    public static let metadataName = "metadata.json"
    private static let probeName = ".vesicle-write-check"

    /// Names Vesicle writes into a run directory; `force` removes exactly these before a new run.
    static func isVesicleOutput(_ name: String) -> Bool {
        name == metadataName || name == "analysis.json" || name.hasSuffix(".partial") || name.hasPrefix(".spill-")
            || name.hasPrefix("spikes.") || name.hasPrefix("release.") || name.hasPrefix("traces.")
    }

    public init(path: String, force: Bool) throws {
        self.path = path
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw VesicleIOError.notWritable(path: path, reason: "it exists and is not a directory")
            }
            let existing: [String]
            do { existing = try manager.contentsOfDirectory(atPath: path) } catch {
                throw VesicleIOError.notWritable(path: path, reason: "cannot list it (\(error.localizedDescription))")
            }
            let previous = existing.filter(Self.isVesicleOutput)
            if !previous.isEmpty {
                guard force else { throw VesicleIOError.outputExists(path: path) }
                for name in previous {
                    do { try manager.removeItem(atPath: path + "/" + name) } catch {
                        throw VesicleIOError.notWritable(path: path + "/" + name, reason: "cannot remove it for --force")
                    }
                }
            }
        } else {
            do { try manager.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw VesicleIOError.notWritable(path: path, reason: Self.creationFailure(path, error))
            }
        }
        let probe = path + "/" + Self.probeName
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw VesicleIOError.notWritable(path: path, reason: systemErrorText()) }
        close(descriptor)
        unlink(probe)
    }

    /// Why a directory could not be created, in words: an ancestor that is a file, or the system's reason.
    private static func creationFailure(_ path: String, _ error: Error) -> String {
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty && ancestor != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? "cannot create the directory in '\(ancestor)' (\(systemErrorText()))"
                                             : "'\(ancestor)' is a file, not a directory"
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        return "cannot create the directory (\(error.localizedDescription))"
    }

    /// Writes metadata saying the run has started and is not complete, so a run that dies
    /// without reaching `finish` is still marked partial.
    public func start(metadata: RunMetadata) throws {
        var partial = metadata
        partial.completed = false
        try writeMetadata(partial)
    }

    /// Writes the final metadata (atomically). `files` is filled with the directory's output files.
    public func finish(metadata: RunMetadata) throws {
        var final = metadata
        if final.files.isEmpty {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            final.files = names.filter { Self.isVesicleOutput($0) && $0 != Self.metadataName && !$0.hasPrefix(".") }.sorted()
        }
        (final.fileSizes, final.fileSHA256) = RunIntegrity.fingerprints(directory: path, files: final.files)
        try writeMetadata(final)
    }

    private func writeMetadata(_ metadata: RunMetadata) throws {
        let file = try AtomicOutputFile(path: path + "/" + Self.metadataName)
        try file.write([UInt8](try metadata.encoded()) + [0x0A])
        try file.commit()
    }

    /// Reads `metadata.json` of an existing run directory.
    public static func metadata(of path: String) throws -> RunMetadata {
        try RunMetadata.read(path: path + "/" + metadataName)
    }
}
