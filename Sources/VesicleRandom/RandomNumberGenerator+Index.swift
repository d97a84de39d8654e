// One bounded integer draw for every generator of this module (`RandomStream`, `CounterStream`),
// so that an index drawn from either uses the same words in the same way.

extension RandomNumberGenerator {
    /// Uniform integer in 0..<bound without modulo bias (Lemire's method): one
    /// 64-bit word per draw, another only when the first falls in the biased low range.
    @inlinable
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }
}
