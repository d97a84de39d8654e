/// The image formats figures are written in, and the file extensions that name them.
public enum ImageFormat: String, CaseIterable, Sendable {
    case svg
    case png
    case pdf

    /// The format a file name's extension names (case-insensitive), or nil.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), !fileName[fileName.index(after: dot)...].contains("/") else { return nil }
        self.init(rawValue: fileName[fileName.index(after: dot)...].lowercased())
    }

    /// Chooses the format of an output from `--format` and `--output`: they must agree when both
    /// are given, the extension decides when only the file is given, and SVG is the default.
    public static func choose(format: String?, output: String?) throws -> ImageFormat {
        let named = try format.map { text -> ImageFormat in
            guard let chosen = ImageFormat(rawValue: text.lowercased()) else { throw ImageFormatError.unknownFormat(text) }
            return chosen
        }
        guard let output else { return named ?? .svg }
        guard let implied = ImageFormat(fileName: output) else {
            throw ImageFormatError.unknownExtension(file: output, format: named)
        }
        if let named, named != implied { throw ImageFormatError.mismatch(format: named, file: output) }
        return implied
    }
}

/// Why `--format` and `--output` cannot be honoured together.
public enum ImageFormatError: Error, Equatable, CustomStringConvertible {
    case unknownFormat(String)
    case unknownExtension(file: String, format: ImageFormat?)
    case mismatch(format: ImageFormat, file: String)

    public var description: String {
        let known = ImageFormat.allCases.map { "." + $0.rawValue }.joined(separator: ", ")
        switch self {
        case .unknownFormat(let text):
            return "--format '\(text)' is not an image format; choose svg, png or pdf"
        case .unknownExtension(let file, let format):
            let hint = format.map { "; did you mean '\(Self.replacingExtension(file, with: $0))'?" } ?? ""
            return "cannot tell the image format of '\(file)': its name must end in \(known)\(hint)"
        case .mismatch(let format, let file):
            return "--format \(format.rawValue) does not match the file '\(file)'; write '\(Self.replacingExtension(file, with: format))' or drop --format"
        }
    }

    static func replacingExtension(_ file: String, with format: ImageFormat) -> String {
        let slash = file.lastIndex(of: "/")
        if let dot = file.lastIndex(of: "."), slash.map({ dot > $0 }) ?? true {
            return String(file[..<dot]) + "." + format.rawValue
        }
        return file + "." + format.rawValue
    }
}
