/// Names become parts of file names and HDF5 paths, so they are limited to a portable set:
/// ASCII letters, digits, `_`, `-` and `.`, not starting with `.`.
func validateFileComponent(_ name: String) throws {
    guard !name.isEmpty else { throw VesicleIOError.invalidName(name, reason: "it is empty") }
    guard !name.hasPrefix(".") else { throw VesicleIOError.invalidName(name, reason: "it starts with '.'") }
    for scalar in name.unicodeScalars {
        let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
            || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == "-" || scalar == "."
        if !ok {
            throw VesicleIOError.invalidName(
                name, reason: "only letters, digits, '_', '-' and '.' are allowed in output names")
        }
    }
}
