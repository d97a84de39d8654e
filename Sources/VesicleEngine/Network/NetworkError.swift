/// Invalid input given through the Swift API or found while building a network. Never a trap:
/// every check that depends on user input throws one of these with a sentence a person can act on.
public struct NetworkError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// A run that cannot continue (for example a state that became non-finite), with the time it happened.
public struct SimulationError: Error, CustomStringConvertible {
    public let description: String
    public let time: Double

    public init(_ description: String, time: Double) {
        self.description = description
        self.time = time
    }
}
