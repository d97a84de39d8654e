// SHA-256's whole-block path (contiguous bytes) against FIPS 180-4 test vectors and against the
// byte-by-byte path (a non-contiguous sequence), fed in irregular pieces.

import XCTest
import VesicleIO

final class SHA256BlockTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex(of: SHA256.hash([UInt8]())), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: SHA256.hash(Array("abc".utf8))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(of: SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000))),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testPiecesAndPathsAgree() {
        var x: UInt64 = 20261202
        let bytes = (0..<5000).map { _ -> UInt8 in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: x >> 56)
        }
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000, 5000] {
            let data = Array(bytes.prefix(length))
            let bytewise = SHA256.hash(data.lazy.map { $0 })  // not contiguous: the byte loop
            var pieces = SHA256()
            var start = 0, step = 1
            while start < length {
                let end = min(length, start + step)
                pieces.update(data[start..<end])
                start = end
                step = step * 3 % 97 + 1
            }
            XCTAssertEqual(pieces.finalize(), bytewise, "length \(length)")
            XCTAssertEqual(SHA256.hash(data), bytewise, "length \(length)")
        }
    }
}
