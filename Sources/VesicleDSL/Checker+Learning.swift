// Lowering of `feedback` statements and their teachers (docs/MODEL.md §4).

import VesicleModel

extension Checker {
    static let feedbackSettings = ["bin", "sigma_0", "theta_f", "teacher"]
    static let teacherParameters = ["mean", "var", "tau", "initial"]

    func lowerFeedback(_ statement: Statement, target: Expression, settings: [Argument]) {
        attempt { () throws(Reported) in
            let resolved = try populationReference(target)
            guard resolved.slice.range == nil else {
                throw fail(.invalidValue, "feedback goes to a whole population, not a slice", at: target.range)
            }
            let name = resolved.population.name
            if let earlier = feedbackRanges[name] {
                throw fail(.duplicateDefinition, "population '\(name)' already has feedback", at: target.range,
                           notes: ["declared at line \(earlier.line), column \(earlier.column)"])
            }
            let owner = "feedback"
            let bound = try bind(settings, to: Self.feedbackSettings, required: ["teacher"], of: owner, at: statement.keywordRange)
            var feedback = FeedbackSpec(target: name, teacher: TeacherSpec())
            if let e = bound["bin"] { feedback.bin = try positive(e, .time, "bin (feedback bin length)") }
            if let e = bound["sigma_0"] { feedback.noiseSD = try nonNegative(e, .voltage, "sigma_0 (membrane noise s.d.)") }
            if let e = bound["theta_f"] { feedback.cerebellarThreshold = try quantity(e, .dimensionless, "theta_f (in units of sigma_0)") }
            feedback.teacher = try teacher(bound["teacher"]!)
            spec.feedbacks.append(feedback)
            feedbackRanges[name] = target.range
        }
    }

    /// `ou(mean = ..., var = ..., tau = ..., initial = ...)`: target log-weights drifting by an OU process.
    private func teacher(_ expression: Expression) throws(Reported) -> TeacherSpec {
        let (name, arguments) = try callParts(expression, among: ["ou"], what: "teacher")
        let bound = try bind(arguments, to: Self.teacherParameters, of: "teacher '\(name.text)'", at: expression.range)
        var teacher = TeacherSpec()
        if let e = bound["mean"] { teacher.priorMean = try quantity(e, .dimensionless, "the teacher's mean") }
        if let e = bound["var"] { teacher.priorVariance = try positive(e, .dimensionless, "the teacher's variance") }
        if let e = bound["tau"] { teacher.tau = try positive(e, .time, "the teacher's time constant") }
        if let e = bound["initial"] { teacher.initial = try distribution(e, .dimensionless, "the teacher's initial log-weights").distribution }
        return teacher
    }
}
