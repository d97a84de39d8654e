import VesicleIO
import VesicleModel

/// The synapse traces `vesicle plot release` and the Python loaders read: `mu` and `sigma2` (the
/// posterior), and `teacher` (the target weight) where the run has one.
struct PosteriorTraces {
    let mu: TraceWriter
    let sigma2: TraceWriter
    let teacher: TraceWriter?

    init(mu: TraceWriter, sigma2: TraceWriter, teacher: TraceWriter?) {
        self.mu = mu
        self.sigma2 = sigma2
        self.teacher = teacher
    }

    init(directory: RunDirectory, formats: Set<OutputFormat>, withTeacher: Bool) throws {
        mu = try TraceWriter(directory: directory, name: "mu", indexColumn: "synapse", formats: formats)
        sigma2 = try TraceWriter(directory: directory, name: "sigma2", indexColumn: "synapse", formats: formats)
        teacher = withTeacher ? try TraceWriter(directory: directory, name: "teacher", indexColumn: "synapse", formats: formats) : nil
    }

    /// Reopens the traces of an interrupted run where a checkpoint's `position` left them.
    init(directory: RunDirectory, resumingAt position: RecorderPosition, withTeacher: Bool) throws {
        func table(_ name: String) throws -> RecordTablePosition {
            guard let table = position.tables["traces." + name] else { throw CheckpointError("the checkpoint holds no position for traces.\(name)") }
            return table
        }
        mu = try TraceWriter(directory: directory, name: "mu", indexColumn: "synapse", resumingAt: try table("mu"))
        sigma2 = try TraceWriter(directory: directory, name: "sigma2", indexColumn: "synapse", resumingAt: try table("sigma2"))
        teacher = withTeacher ? try TraceWriter(directory: directory, name: "teacher", indexColumn: "synapse", resumingAt: try table("teacher")) : nil
    }

    /// Syncs the traces and returns their positions, keyed as `StreamingRecorder` keys them.
    func checkpointTables() throws -> [String: RecordTablePosition] {
        var tables = ["traces.mu": try mu.checkpointPosition(), "traces.sigma2": try sigma2.checkpointPosition()]
        if let teacher { tables["traces.teacher"] = try teacher.checkpointPosition() }
        return tables
    }

    func append(time: Double, synapse: Int, mu m: Double, sigma2 s2: Double, target: Double? = nil) throws {
        try mu.append(time: time, index: synapse, value: m)
        try sigma2.append(time: time, index: synapse, value: s2)
        if let target { try teacher?.append(time: time, index: synapse, value: target) }
    }

    func finish(complete: Bool) throws {
        try mu.finish(complete: complete)
        try sigma2.finish(complete: complete)
        try teacher?.finish(complete: complete)
    }
}
