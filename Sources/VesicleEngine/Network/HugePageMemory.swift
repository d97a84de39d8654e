#if canImport(Glibc)
import Glibc
#endif

/// Memory for state touched at random places: a population's per-neuron lines (a delivery touches a
/// random target's line) and a Bayesian projection's per-row release lanes (a spike touches a random
/// row's).
///
/// Such state is spread over hundreds of 4 KB pages, and most touches would also miss the first-level
/// TLB. Blocks of at least `hugePageThreshold` bytes are therefore placed on transparent huge pages
/// (2 MB, Linux `madvise(MADV_HUGEPAGE)`), so a few TLB entries cover them; smaller ones, and other
/// systems, get ordinary 64-byte-aligned memory.
enum HugePageMemory {
    static let hugePage = 2 << 20
    static let hugePageThreshold = 256 << 10

    /// `bytes` of memory aligned to at least 64 bytes; release it with `release`.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        #if os(Linux)
        if bytes >= hugePageThreshold {
            let rounded = (bytes + hugePage - 1) / hugePage * hugePage
            var pointer: UnsafeMutableRawPointer?
            if posix_memalign(&pointer, hugePage, rounded) == 0, let pointer {
                // Only advice: without transparent huge pages the memory is ordinary pages.
                _ = madvise(pointer, rounded, Int32(MADV_HUGEPAGE))
                return pointer
            }
        }
        var pointer: UnsafeMutableRawPointer?
        if posix_memalign(&pointer, 64, max(bytes, 64)) == 0, let pointer { return pointer }
        fatalError("out of memory allocating \(bytes) bytes")
        #else
        return UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 64), alignment: 64)
        #endif
    }

    static func release(_ pointer: UnsafeMutableRawPointer) {
        #if os(Linux)
        free(pointer)
        #else
        pointer.deallocate()
        #endif
    }
}
