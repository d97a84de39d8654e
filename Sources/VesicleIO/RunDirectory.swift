import Foundation
import Glibc

/// A run's output directory. Creating one checks, before any simulation, that the directory can
/// be written (the error names the path) and refuses to replace an earlier run's files unless
/// `force` is set (docs/DESIGN.md: existing output is never silently overwritten).
///
/// What `force` removes: every file the earlier run's `metadata.json` lists (`files`, and the
/// `derived_files` that `vesicle analyze` and `vesicle plot` added to the directory), the metadata
/// itself, and their unfinished `.partial` twins — and nothing else. Only when the earlier metadata
/// is missing, unreadable or lists no file (a run killed before it could finish) are Vesicle's own
/// file names recognised by pattern instead (`isVesicleOutput`).
public final class RunDirectory {
    public let path: String
    public static let metadataName = "metadata.json"
    private static let probeName = ".vesicle-write-check"
    /// Names present before this run wrote anything; `finish` lists the others as the run's files.
    private let namesBefore: Set<String>

    /// Names Vesicle writes into a run directory, for directories without a usable file list.
    static func isVesicleOutput(_ name: String) -> Bool {
        name == metadataName || name == "analysis.json" || name.hasSuffix(".partial") || name.hasPrefix(".spill-")
            || name.hasPrefix(CheckpointFile.prefix)
            || name.hasPrefix("spikes.") || name.hasPrefix("release.") || name.hasPrefix("traces.")
    }

    /// The files of the earlier run in `existing` that `force` removes (see the type's comment).
    /// - Complexity: O(n log n) in the number of names.
    static func earlierRunFiles(in existing: [String], metadata: RunMetadata?) -> [String] {
        guard let metadata, !(metadata.files.isEmpty && (metadata.derivedFiles ?? []).isEmpty) else {
            return existing.filter(isVesicleOutput).sorted()
        }
        var listed = Set(metadata.files + (metadata.derivedFiles ?? []) + [metadataName])
        for name in listed { listed.insert(AtomicOutputFile.temporaryPath(for: name)) }
        // Scratch files of a writer that was still running belong to the run too.
        return existing.filter { listed.contains($0) || $0.hasPrefix(".spill-") || $0.hasPrefix(CheckpointFile.prefix) }.sorted()
    }

    public init(path: String, force: Bool) throws {
        self.path = path
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var remaining: [String] = []
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw VesicleIOError.notWritable(path: path, reason: "it exists and is not a directory")
            }
            let existing: [String]
            do { existing = try manager.contentsOfDirectory(atPath: path) } catch {
                throw VesicleIOError.notWritable(path: path, reason: "cannot list it (\(error.localizedDescription))")
            }
            let previous = existing.filter(Self.isVesicleOutput)
            remaining = existing
            if !previous.isEmpty {
                guard force else { throw VesicleIOError.outputExists(path: path) }
                let metadata = try? Self.metadata(of: path)
                let removed = Self.earlierRunFiles(in: existing, metadata: metadata)
                for name in removed {
                    do { try manager.removeItem(atPath: path + "/" + name) } catch {
                        throw VesicleIOError.notWritable(path: path + "/" + name, reason: "cannot remove it for --force")
                    }
                }
                remaining = existing.filter { !removed.contains($0) }
            }
        } else {
            do { try manager.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw VesicleIOError.notWritable(path: path, reason: Self.creationFailure(path, error))
            }
        }
        namesBefore = Set(remaining)
        let probe = path + "/" + Self.probeName
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw VesicleIOError.notWritable(path: path, reason: systemErrorText()) }
        close(descriptor)
        unlink(probe)
    }

    /// Opens the directory of an earlier run to continue it (`vesicle resume`, docs/CHECKPOINT.md):
    /// nothing is removed, and `finish` lists as the run's files `runFiles` (and their `.partial`
    /// twins) together with whatever the continued run adds; everything else already there (the
    /// user's files, derived plots) stays unlisted.
    public init(resuming path: String, runFiles: Set<String>) throws {
        self.path = path
        let existing: [String]
        do { existing = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw VesicleIOError.notWritable(path: path, reason: "cannot list it (\(error.localizedDescription))")
        }
        var owned = runFiles
        for name in runFiles { owned.insert(AtomicOutputFile.temporaryPath(for: name)) }
        namesBefore = Set(existing).subtracting(owned)
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

    /// Writes the final metadata (atomically). `files` is filled with the files this run created:
    /// the directory's names now that were not there when it was opened (the user's own files,
    /// left in place, are never listed and never removed by a later `--force`).
    public func finish(metadata: RunMetadata) throws {
        var final = metadata
        if final.files.isEmpty {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            final.files = names.filter { !namesBefore.contains($0) && $0 != Self.metadataName && !$0.hasPrefix(".") }.sorted()
        }
        (final.fileSizes, final.fileSHA256) = RunIntegrity.fingerprints(directory: path, files: final.files)
        try writeMetadata(final)
    }

    private func writeMetadata(_ metadata: RunMetadata) throws {
        try Self.writeMetadata(metadata, directory: path)
    }

    private static func writeMetadata(_ metadata: RunMetadata, directory: String) throws {
        let file = try AtomicOutputFile(path: directory + "/" + metadataName)
        try file.write([UInt8](try metadata.encoded()) + [0x0A])
        try file.commit()
    }

    /// Reads `metadata.json` of an existing run directory.
    public static func metadata(of path: String) throws -> RunMetadata {
        try RunMetadata.read(path: path + "/" + metadataName)
    }

    /// Records that `file` (a path) was written from the recordings of the run in `directory`, when
    /// it lies directly in that directory and the directory has metadata: a later `--force` then
    /// removes it with the run. Files elsewhere, or directories without metadata, are left alone.
    /// Returns whether it was recorded.
    @discardableResult
    public static func registerDerivedFile(_ file: String, inRun directory: String) throws -> Bool {
        let parent = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL.path
        let run = URL(fileURLWithPath: directory).standardizedFileURL.path
        guard parent == run, FileManager.default.fileExists(atPath: directory + "/" + metadataName) else { return false }
        var metadata = try Self.metadata(of: directory)
        let name = URL(fileURLWithPath: file).lastPathComponent
        guard !metadata.files.contains(name), !(metadata.derivedFiles ?? []).contains(name) else { return true }
        metadata.derivedFiles = ((metadata.derivedFiles ?? []) + [name]).sorted()
        try writeMetadata(metadata, directory: directory)
        return true
    }
}
