#if canImport(Glibc)
import Glibc
#endif

/// Memory for a population's per-neuron state lines.
///
/// A delivery touches a random target's line, so a large population's lines are spread over hundreds
/// of 4 KB pages and most deliveries also miss the first-level TLB. Populations whose lines fill at
/// least `hugePageThreshold` bytes are therefore placed on transparent huge pages (2 MB, Linux
/// `madvise(MADV_HUGEPAGE)`), so a few TLB entries cover them; smaller ones, and other systems, get
/// ordinary 64-byte-aligned memory.
enum NeuronStateMemory {
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
        fatalError("out of memory allocating \(bytes) bytes of neuron state")
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
