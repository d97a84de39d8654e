import VesicleIO

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
