import Foundation
import XCTest
@testable import VesicleIO

/// Test vectors from FIPS 180-4's examples (NIST CSRC "SHA256.pdf" and "SHA2_Additional.pdf").
final class SHA256Tests: XCTestCase {
    func hex(_ text: String) -> String { SHA256.hex(of: SHA256.hash(Array(text.utf8))) }

    func testEmptyMessage() {
        XCTAssertEqual(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testOneBlockMessage() {
        XCTAssertEqual(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testTwoBlockMessage() {
        XCTAssertEqual(
            hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testMillionAs() {
        var hasher = SHA256()
        let block = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hasher.update(block) }
        XCTAssertEqual(SHA256.hex(of: hasher.finalize()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testFileDigestMatchesInMemoryDigestAcrossBlockBoundaries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // 200 000 bytes: several 64 KiB read blocks, not a multiple of 64.
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let path = directory.path + "/network.vsl"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try SHA256.hexDigest(ofFile: path), SHA256.hex(of: SHA256.hash(bytes)))
        XCTAssertThrowsError(try SHA256.hexDigest(ofFile: directory.path + "/missing.vsl"))
    }
}
