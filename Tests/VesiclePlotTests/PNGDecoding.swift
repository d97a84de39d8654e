import CZlib
import XCTest
@testable import VesiclePlot

/// A minimal PNG reader written for the tests: checks the signature, walks the chunks verifying
/// each CRC-32 with a bitwise implementation independent of zlib's table, and inflates IDAT.
struct DecodedPNG {
    var width: Int
    var height: Int
    var bitDepth: UInt8
    var colorType: UInt8
    var chunkTypes: [String]
    /// Filtered scanlines (one filter byte then width*4 bytes per row).
    var scanlines: [UInt8]

    static func bitwiseCRC32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func read32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    init(_ bytes: [UInt8]) throws {
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var types: [String] = []
        var idat: [UInt8] = []
        var ihdr: [UInt8] = []
        while offset + 12 <= bytes.count {
            let length = Int(Self.read32(bytes, offset))
            let body = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            let type = String(decoding: body.prefix(4), as: UTF8.self)
            XCTAssertEqual(Self.read32(bytes, offset + 8 + length), Self.bitwiseCRC32(body), "CRC of \(type)")
            types.append(type)
            if type == "IHDR" { ihdr = Array(body.dropFirst(4)) }
            if type == "IDAT" { idat += body.dropFirst(4) }
            offset += 12 + length
        }
        XCTAssertEqual(offset, bytes.count, "chunks must end exactly at the end of the file")
        let header = try XCTUnwrap(ihdr.count == 13 ? ihdr : nil)
        width = Int(Self.read32(header, 0))
        height = Int(Self.read32(header, 4))
        bitDepth = header[8]
        colorType = header[9]
        chunkTypes = types
        var size = uLong(height * (1 + 4 * width))
        var output = [UInt8](repeating: 0, count: Int(size))
        let status = output.withUnsafeMutableBufferPointer { target in
            idat.withUnsafeBufferPointer { uncompress(target.baseAddress, &size, $0.baseAddress, uLong($0.count)) }
        }
        XCTAssertEqual(status, Z_OK)
        XCTAssertEqual(Int(size), height * (1 + 4 * width))
        scanlines = output
    }

    /// RGBA of pixel (x, y), for filter type 0 rows.
    func pixel(x: Int, y: Int) -> [UInt8] {
        let start = y * (1 + 4 * width) + 1 + 4 * x
        return Array(scanlines[start..<(start + 4)])
    }
}
