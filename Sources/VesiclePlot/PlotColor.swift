/// An sRGB colour with alpha, 8 bits per channel.
public struct PlotColor: Sendable, Equatable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    public var alpha: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// `#rrggbb`, for SVG (alpha goes into `*-opacity` attributes).
    public var hex: String {
        "#" + [red, green, blue].map { value in
            let digits = String(value, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    public var opacity: Double { Double(alpha) / 255 }

    public func withAlpha(_ alpha: UInt8) -> PlotColor { PlotColor(red: red, green: green, blue: blue, alpha: alpha) }

    public static let black = PlotColor(red: 0, green: 0, blue: 0)
    public static let white = PlotColor(red: 255, green: 255, blue: 255)
    public static let gray = PlotColor(red: 120, green: 120, blue: 120)
    public static let lightGray = PlotColor(red: 225, green: 225, blue: 225)

    /// Colour-blind-safe qualitative palette (Okabe & Ito 2008), used for populations and synapses.
    /// Their yellow (240, 228, 66) is darkened to (184, 168, 0): thin lines and 2-px raster dots in
    /// the original are barely visible on white.
    public static let palette: [PlotColor] = [
        PlotColor(red: 0, green: 114, blue: 178), PlotColor(red: 213, green: 94, blue: 0),
        PlotColor(red: 0, green: 158, blue: 115), PlotColor(red: 204, green: 121, blue: 167),
        PlotColor(red: 230, green: 159, blue: 0), PlotColor(red: 86, green: 180, blue: 233),
        PlotColor(red: 184, green: 168, blue: 0), PlotColor(red: 0, green: 0, blue: 0),
    ]

    public static func series(_ index: Int) -> PlotColor { palette[index % palette.count] }
}
