// The lexical units of the network language (docs/LANGUAGE.md, "Lexical structure").

struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        /// A finite number literal (non-finite ones are diagnosed by the lexer and read as 0).
        case number(Double)
        case string(String)
        case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
        case comma, equals, arrow, colon
        case plus, minus, star, slash
        case endOfFile
    }

    var kind: Kind
    var range: SourceRange
    /// True when no other token precedes it on its line; statements are resynchronised on such tokens.
    var startsLine: Bool

    var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }

    var isEndOfFile: Bool { kind == .endOfFile }

    /// How the token reads in "expected X, found Y" messages.
    var spelling: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .number: return "a number"
        case .string: return "a string"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .leftBrace: return "'{'"
        case .rightBrace: return "'}'"
        case .comma: return "','"
        case .equals: return "'='"
        case .arrow: return "'->'"
        case .colon: return "':'"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .endOfFile: return "the end of the file"
        }
    }
}
