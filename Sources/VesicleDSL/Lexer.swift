// Hand-written lexer over UTF-8 bytes. It never fails: bad characters, unterminated strings and
// numbers that are not finite become diagnostics and lexing continues, so that the parser can
// report every independent error in one run.

struct Lexer {
    private let bytes: [UInt8]
    private let path: String
    private var position = 0
    private var line = 1
    private var column = 1
    private var sawTokenOnLine = false
    private(set) var diagnostics: [Diagnostic] = []

    init(source: String, path: String) {
        self.bytes = Array(source.utf8)
        self.path = path
    }

    /// All tokens, ending with exactly one `.endOfFile`.
    mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = nextToken()
            tokens.append(token)
            if token.isEndOfFile { return tokens }
        }
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func peek(_ offset: Int) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private mutating func advance() {
        guard position < bytes.count else { return }
        let byte = bytes[position]
        position += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
            sawTokenOnLine = false
        } else if byte & 0xC0 != 0x80 {
            // Count columns in Unicode scalars: continuation bytes do not start a new column.
            column += 1
        }
    }

    private mutating func skipTrivia() {
        while let byte = current {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\n") {
                advance()
            } else if byte == UInt8(ascii: "#") {
                while let b = current, b != UInt8(ascii: "\n") { advance() }
            } else {
                return
            }
        }
    }

    private mutating func nextToken() -> Token {
        while true {
            skipTrivia()
            let start = SourceRange(offset: position, length: 0, line: line, column: column)
            let startsLine = !sawTokenOnLine
            guard let byte = current else {
                return Token(kind: .endOfFile, range: start, startsLine: true)
            }
            if let kind = lexToken(startingWith: byte, at: start) {
                sawTokenOnLine = true
                var range = start
                range.length = position - start.offset
                return Token(kind: kind, range: range, startsLine: startsLine)
            }
        }
    }

    /// Consumes one token; returns nil after consuming something that is not a token (already diagnosed).
    private mutating func lexToken(startingWith byte: UInt8, at start: SourceRange) -> Token.Kind? {
        if isIdentifierStart(byte) {
            var name = ""
            while let b = current, isIdentifierStart(b) || isDigit(b) {
                name.unicodeScalars.append(Unicode.Scalar(b))
                advance()
            }
            return .identifier(name)
        }
        if isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
            return lexNumber(at: start)
        }
        if byte == UInt8(ascii: "\"") {
            return lexString(at: start)
        }
        advance()
        switch byte {
        case UInt8(ascii: "("): return .leftParen
        case UInt8(ascii: ")"): return .rightParen
        case UInt8(ascii: "["): return .leftBracket
        case UInt8(ascii: "]"): return .rightBracket
        case UInt8(ascii: "{"): return .leftBrace
        case UInt8(ascii: "}"): return .rightBrace
        case UInt8(ascii: ","): return .comma
        case UInt8(ascii: "="): return .equals
        case UInt8(ascii: ":"): return .colon
        case UInt8(ascii: "+"): return .plus
        case UInt8(ascii: "*"): return .star
        case UInt8(ascii: "/"): return .slash
        case UInt8(ascii: "-"):
            if current == UInt8(ascii: ">") {
                advance()
                return .arrow
            }
            return .minus
        default:
            // Skip the rest of a multi-byte character or a run of stray bytes as one error.
            while let b = current, b & 0xC0 == 0x80 { advance() }
            var range = start
            range.length = position - start.offset
            let text = String(decoding: bytes[start.offset..<position], as: UTF8.self)
            let printable = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\u{FFFD}" }
            let shown = printable ? "character '\(text)'" : "character"
            diagnostics.append(Diagnostic(.error, .syntax, "unexpected \(shown) in the network file",
                                          path: path, range: range))
            return nil
        }
    }

    private mutating func lexNumber(at start: SourceRange) -> Token.Kind {
        var text = ""
        func take(_ lexer: inout Lexer) {
            if let b = lexer.current, b != UInt8(ascii: "_") { text.unicodeScalars.append(Unicode.Scalar(b)) }
            lexer.advance()
        }
        while let b = current, isDigit(b) || b == UInt8(ascii: "_") { take(&self) }
        if current == UInt8(ascii: "."), peek(1).map(isDigit) == true || !(peek(1).map(isIdentifierStart) ?? false) {
            take(&self)
            while let b = current, isDigit(b) || b == UInt8(ascii: "_") { take(&self) }
        }
        if let e = current, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            let signed = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")
            if peek(signed ? 2 : 1).map(isDigit) == true {
                take(&self)
                if signed { take(&self) }
                while let b = current, isDigit(b) { take(&self) }
            }
        }
        var range = start
        range.length = position - start.offset
        guard let value = Double(text) else {
            diagnostics.append(Diagnostic(.error, .invalidNumber, "'\(text)' is not a valid number", path: path, range: range))
            return .number(0)
        }
        guard value.isFinite else {
            diagnostics.append(Diagnostic(.error, .invalidNumber,
                                          "number '\(text)' is too large for a double-precision value",
                                          path: path, range: range))
            return .number(0)
        }
        return .number(value)
    }

    private mutating func lexString(at start: SourceRange) -> Token.Kind {
        advance()
        var content: [UInt8] = []
        while let b = current, b != UInt8(ascii: "\"") {
            if b == UInt8(ascii: "\n") { break }
            if b == UInt8(ascii: "\\"), let next = peek(1), next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") {
                advance()
                content.append(next)
                advance()
                continue
            }
            content.append(b)
            advance()
        }
        if current == UInt8(ascii: "\"") {
            advance()
        } else {
            var range = start
            range.length = position - start.offset
            diagnostics.append(Diagnostic(.error, .syntax, "unterminated string", path: path, range: range,
                                          notes: ["a string ends with '\"' on the line where it starts"]))
        }
        return .string(String(decoding: content, as: UTF8.self))
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }
}
