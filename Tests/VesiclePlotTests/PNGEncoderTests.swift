import XCTest
@testable import VesiclePlot

final class PNGEncoderTests: XCTestCase {
    func testEncodedRasterDecodesToItsPixels() throws {
        var raster = try RGBARaster(width: 37, height: 21)
        let red = PlotColor(red: 200, green: 10, blue: 20)
        raster.fillRectangle(x0: 5, y0: 3, x1: 9, y1: 6, color: red)
        raster.drawLine(x0: 0, y0: 20, x1: 36, y1: 20, color: .black)
        let decoded = try DecodedPNG(PNGEncoder.encode(raster))
        XCTAssertEqual(decoded.width, 37)
        XCTAssertEqual(decoded.height, 21)
        XCTAssertEqual(decoded.bitDepth, 8)
        XCTAssertEqual(decoded.colorType, 6)
        XCTAssertEqual(decoded.chunkTypes, ["IHDR", "IDAT", "IEND"])
        for row in 0..<21 { XCTAssertEqual(decoded.scanlines[row * (1 + 4 * 37)], 0, "filter byte of row \(row)") }
        XCTAssertEqual(decoded.pixel(x: 7, y: 4), [200, 10, 20, 255])
        XCTAssertEqual(decoded.pixel(x: 4, y: 4), [255, 255, 255, 255])
        XCTAssertEqual(decoded.pixel(x: 18, y: 20), [0, 0, 0, 255])
        // The decoded image equals the raster byte for byte.
        var pixels: [UInt8] = []
        for y in 0..<21 { for x in 0..<37 { pixels += decoded.pixel(x: x, y: y) } }
        XCTAssertEqual(pixels, raster.pixels)
    }

    func testHalfTransparentBlend() throws {
        var raster = try RGBARaster(width: 2, height: 1)
        raster.blend(x: 0, y: 0, color: PlotColor(red: 0, green: 0, blue: 0, alpha: 128))
        // (0 * 128 + 255 * 127 + 127) / 255 = 127.
        XCTAssertEqual(raster.pixel(x: 0, y: 0), PlotColor(red: 127, green: 127, blue: 127, alpha: 255))
        raster.blend(x: -1, y: 5, color: .black)  // outside: ignored
        XCTAssertEqual(raster.pixel(x: 1, y: 0), .white)
    }

    func testPolygonFillCoversPixelCentresOnce() throws {
        // A half-transparent 10 x 4 rectangle given as a polygon with a redundant vertex: the 40
        // pixels whose centres lie inside are blended exactly once (all the same shade).
        var raster = try RGBARaster(width: 20, height: 10)
        let shade = PlotColor(red: 0, green: 0, blue: 0, alpha: 128)
        raster.fillPolygon([(2, 3), (7, 3), (12, 3), (12, 7), (2, 7)], color: shade)
        var covered = 0
        for y in 0..<10 {
            for x in 0..<20 where raster.pixel(x: x, y: y) != .white {
                XCTAssertEqual(raster.pixel(x: x, y: y), PlotColor(red: 127, green: 127, blue: 127, alpha: 255))
                covered += 1
            }
        }
        XCTAssertEqual(covered, 40)
    }

    func testInvalidSizeThrows() {
        XCTAssertThrowsError(try RGBARaster(width: 0, height: 10))
        XCTAssertThrowsError(try RGBARaster(width: 10, height: 100_000))
    }
}
