/// Errors of figure construction and rendering, kept apart from their rendering (`description`).
public enum PlotError: Error, Equatable, CustomStringConvertible {
    case invalidSize(width: Int, height: Int)
    case noData(String)
    /// Cairo reported `status` (its message) while `stage`.
    case cairo(stage: String, status: String)

    public var description: String {
        switch self {
        case .invalidSize(let width, let height): return "figure size \(width) x \(height) is outside 1...20000 pixels"
        case .noData(let what): return "nothing to plot: \(what)"
        case .cairo(let stage, let status): return "Cairo failed while \(stage): \(status)"
        }
    }
}
