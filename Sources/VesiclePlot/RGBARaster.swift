/// A width x height canvas of 8-bit RGBA pixels with the few primitives figures need.
/// Drawing is source-over blending; coordinates outside the canvas are clipped, never trapped.
public struct RGBARaster: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Row-major RGBA bytes, top row first.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: PlotColor = .white) throws {
        guard width > 0, height > 0, width <= 20_000, height <= 20_000 else {
            throw PlotError.invalidSize(width: width, height: height)
        }
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 4)
        for k in 0..<(width * height) {
            pixels[4 * k] = background.red
            pixels[4 * k + 1] = background.green
            pixels[4 * k + 2] = background.blue
            pixels[4 * k + 3] = background.alpha
        }
    }

    public func pixel(x: Int, y: Int) -> PlotColor? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let i = 4 * (y * width + x)
        return PlotColor(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2], alpha: pixels[i + 3])
    }

    /// Blends `color` over the pixel at (x, y); ignores points outside the canvas or `clip`.
    public mutating func blend(x: Int, y: Int, color: PlotColor, clip: (Int, Int, Int, Int)? = nil) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        if let (x0, y0, x1, y1) = clip, x < x0 || y < y0 || x > x1 || y > y1 { return }
        let i = 4 * (y * width + x)
        let a = Int(color.alpha)
        if a == 255 {
            pixels[i] = color.red
            pixels[i + 1] = color.green
            pixels[i + 2] = color.blue
            pixels[i + 3] = 255
            return
        }
        func mix(_ source: UInt8, _ target: UInt8) -> UInt8 {
            UInt8((Int(source) * a + Int(target) * (255 - a) + 127) / 255)
        }
        pixels[i] = mix(color.red, pixels[i])
        pixels[i + 1] = mix(color.green, pixels[i + 1])
        pixels[i + 2] = mix(color.blue, pixels[i + 2])
        pixels[i + 3] = UInt8(min(255, a + Int(pixels[i + 3]) * (255 - a) / 255))
    }

    /// Fills the axis-aligned rectangle with corners (x0, y0) and (x1, y1), inclusive.
    public mutating func fillRectangle(x0: Double, y0: Double, x1: Double, y1: Double, color: PlotColor, clip: (Int, Int, Int, Int)? = nil) {
        guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite else { return }
        let left = max(0, Int(min(x0, x1).rounded())), right = min(width - 1, Int(max(x0, x1).rounded()))
        let top = max(0, Int(min(y0, y1).rounded())), bottom = min(height - 1, Int(max(y0, y1).rounded()))
        guard left <= right, top <= bottom else { return }
        for y in top...bottom {
            for x in left...right { blend(x: x, y: y, color: color, clip: clip) }
        }
    }

    /// Fills a polygon (even-odd rule) by scanlines through pixel centres, so each pixel is
    /// blended once however many vertices share it.
    public mutating func fillPolygon(_ points: [(x: Double, y: Double)], color: PlotColor, clip: (Int, Int, Int, Int)? = nil) {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard finite.count >= 3 else { return }
        let top = max(0, Int(finite.map(\.y).min()!.rounded(.down)))
        let bottom = min(height - 1, Int(finite.map(\.y).max()!.rounded(.up)))
        guard top <= bottom else { return }
        var crossings: [Double] = []
        for row in top...bottom {
            let y = Double(row) + 0.5
            crossings.removeAll(keepingCapacity: true)
            var previous = finite[finite.count - 1]
            for point in finite {
                if (point.y <= y) != (previous.y <= y) {
                    crossings.append(previous.x + (y - previous.y) / (point.y - previous.y) * (point.x - previous.x))
                }
                previous = point
            }
            crossings.sort()
            var k = 0
            while k + 1 < crossings.count {
                let start = max(0, Int((crossings[k] - 0.5).rounded(.up)))
                let end = min(width - 1, Int((crossings[k + 1] - 0.5).rounded(.down)))
                if start <= end {
                    for x in start...end { blend(x: x, y: row, color: color, clip: clip) }
                }
                k += 2
            }
        }
    }

    /// A straight line of `thickness` pixels (Bresenham, thickened with a square pen).
    public mutating func drawLine(
        x0: Double, y0: Double, x1: Double, y1: Double, color: PlotColor, thickness: Int = 1,
        clip: (Int, Int, Int, Int)? = nil, dashed: Bool = false
    ) {
        guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite else { return }
        // Clamp far-off coordinates so the loop stays bounded however extreme the data.
        let limit = Double(4 * max(width, height))
        var x = Int(min(max(x0, -limit), limit).rounded()), y = Int(min(max(y0, -limit), limit).rounded())
        let xEnd = Int(min(max(x1, -limit), limit).rounded()), yEnd = Int(min(max(y1, -limit), limit).rounded())
        let dx = abs(xEnd - x), dy = -abs(yEnd - y)
        let sx = x < xEnd ? 1 : -1, sy = y < yEnd ? 1 : -1
        var error = dx + dy
        let half = (thickness - 1) / 2
        var step = 0
        while true {
            if !dashed || (step / 6) % 2 == 0 {
                for oy in -half...(thickness - 1 - half) {
                    for ox in -half...(thickness - 1 - half) { blend(x: x + ox, y: y + oy, color: color, clip: clip) }
                }
            }
            step += 1
            if x == xEnd && y == yEnd { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// Text in the built-in 3x5 bitmap font, magnified by `scale`; (x, y) is the top left.
    public mutating func drawText(_ text: String, x: Double, y: Double, color: PlotColor, scale: Int = 2) {
        var cursor = Int(x.rounded())
        let top = Int(y.rounded())
        for character in text {
            if let rows = BitmapFont.glyph(character) {
                for (row, bits) in rows.enumerated() {
                    for column in 0..<3 where bits & (4 >> column) != 0 {
                        for sy in 0..<scale {
                            for sx in 0..<scale {
                                blend(x: cursor + column * scale + sx, y: top + row * scale + sy, color: color)
                            }
                        }
                    }
                }
            }
            cursor += 4 * scale
        }
    }

    /// Width in pixels of `text` drawn at `scale`.
    public static func textWidth(_ text: String, scale: Int = 2) -> Int { max(0, text.count * 4 * scale - scale) }
}

/// Errors of figure construction and rendering.
public enum PlotError: Error, Equatable, CustomStringConvertible {
    case invalidSize(width: Int, height: Int)
    case compressionFailed(code: Int32)
    case noData(String)

    public var description: String {
        switch self {
        case .invalidSize(let width, let height): return "figure size \(width) x \(height) is outside 1...20000 pixels"
        case .compressionFailed(let code): return "zlib could not compress the image (error \(code))"
        case .noData(let what): return "nothing to plot: \(what)"
        }
    }
}
