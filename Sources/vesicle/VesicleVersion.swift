/// The version recorded in every run's metadata.
enum VesicleVersion {
    static let current = "0.1.0"
}
