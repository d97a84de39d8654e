import CZlib

/// Encodes an `RGBARaster` as a PNG (ISO/IEC 15948): signature, IHDR (8-bit RGBA, no
/// interlace), one IDAT holding the zlib-deflated scanlines (filter byte 0 per row), IEND; every
/// chunk carries its CRC-32.
public enum PNGEncoder {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func encode(_ raster: RGBARaster) throws -> [UInt8] {
        var header: [UInt8] = []
        append32(UInt32(raster.width), to: &header)
        append32(UInt32(raster.height), to: &header)
        header += [8, 6, 0, 0, 0]  // bit depth 8, colour type 6 (RGBA), deflate, filter 0, no interlace

        let rowBytes = raster.width * 4
        var scanlines = [UInt8](repeating: 0, count: raster.height * (rowBytes + 1))
        raster.pixels.withUnsafeBufferPointer { source in
            for row in 0..<raster.height {
                let target = row * (rowBytes + 1) + 1
                for k in 0..<rowBytes { scanlines[target + k] = source[row * rowBytes + k] }
            }
        }
        var output = signature
        appendChunk("IHDR", header, to: &output)
        appendChunk("IDAT", try deflate(scanlines), to: &output)
        appendChunk("IEND", [], to: &output)
        return output
    }

    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var compressed = [UInt8](repeating: 0, count: Int(capacity))
        let status = compressed.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &capacity, source.baseAddress, uLong(bytes.count), 6)
            }
        }
        guard status == Z_OK else { throw PlotError.compressionFailed(code: status) }
        return Array(compressed.prefix(Int(capacity)))
    }

    static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to output: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        append32(UInt32(data.count), to: &output)
        let body = typeBytes + data
        output += body
        let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        append32(UInt32(crc), to: &output)
    }
}
