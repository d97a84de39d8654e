import CFFTW
import Synchronization

/// Batched real-to-complex / complex-to-real FFTW plans, cached by (transform length, batch).
///
/// The FFTW planner (plan creation and destruction, and its global settings) is not thread-safe,
/// so every planner call in the process goes through one lock, `plannerLock`. Executing a plan is
/// thread-safe on distinct arrays (FFTW manual §5.4), so the plans are handed out and run without
/// the lock through the new-array interface (`fftw_execute_dft_r2c/c2r`), on arrays from
/// `fftw_alloc_*` laid out like the planning arrays.
public final class FFTWPlanCache: Sendable {
    /// How hard the planner searches.
    public enum Rigor: Sendable, Equatable {
        /// FFTW_ESTIMATE: no planning time; used where few transforms are run per plan.
        case estimate
        /// FFTW_MEASURE with a planning time limit: a convolution reuses one plan for every block,
        /// channel batch and call in a run, so paying once for a measured plan is repaid; the limit
        /// (fftw_set_timelimit) bounds that one-off cost for large transforms.
        case measure(timeLimitSeconds: Double)
    }

    struct Key: Hashable {
        let length: Int
        let batch: Int
        /// The real array starts this many doubles after an FFTW-aligned address.
        let realOffset: Int
    }

    /// The process-wide cache, with measured plans (see `Rigor.measure`).
    public static let shared = FFTWPlanCache(rigor: .measure(timeLimitSeconds: 1))

    /// Estimated plans, chosen by FFTW's heuristics without timing anything. A measured plan can
    /// differ from run to run with the machine's load, and with it the rounding of every result;
    /// an estimated one is the same in every run of the same FFTW build. The engine's kernel
    /// currents use these, so that one seed gives byte-identical output files (issue #2, item 6);
    /// so do one-off transforms (correlograms), where measuring would cost more than it saves.
    public static let reproducible = FFTWPlanCache(rigor: .estimate)

    static let plannerLock = Mutex(())

    public let rigor: Rigor
    private let plans = Mutex<[Key: FFTWPlanPair]>([:])

    public init(rigor: Rigor) {
        self.rigor = rigor
    }

    /// Number of distinct plan pairs created so far (for tests of reuse).
    public var planCount: Int { plans.withLock { $0.count } }

    /// The plans for `batch` contiguous transforms of `length` real samples each: real arrays of
    /// `batch * length` doubles, spectra of `batch * (length / 2 + 1)` complex values. The real
    /// arrays they run on start `realOffset` doubles after an FFTW-aligned address (so that
    /// `fftw_alignment_of` is `realOffset * 8`), the spectra at an aligned one.
    func plans(length: Int, batch: Int, realOffset: Int = 0) -> FFTWPlanPair {
        let key = Key(length: length, batch: batch, realOffset: realOffset)
        return plans.withLock { table in
            if let existing = table[key] { return existing }
            let created = Self.plannerLock.withLock { _ in makePlans(key) }
            table[key] = created
            return created
        }
    }

    private func makePlans(_ key: Key) -> FFTWPlanPair {
        let spectrumLength = key.length / 2 + 1
        let real = FFTWRealBuffer(count: key.length * key.batch + key.realOffset)
        let realStart = real.pointer + key.realOffset
        let spectrum = FFTWComplexBuffer(count: spectrumLength * key.batch)
        var flags = UInt32(FFTW_ESTIMATE)
        if case .measure(let seconds) = rigor {
            flags = UInt32(FFTW_MEASURE)
            fftw_set_timelimit(seconds)
        } else {
            // The planner reuses wisdom that measured plans left in the process, whatever the
            // flags; an estimated plan is only the same in every run when there is none.
            fftw_forget_wisdom()
        }
        var n = Int32(key.length)
        let forward = fftw_plan_many_dft_r2c(
            1, &n, Int32(key.batch),
            realStart, nil, 1, Int32(key.length),
            spectrum.pointer, nil, 1, Int32(spectrumLength),
            flags)!
        let inverse = fftw_plan_many_dft_c2r(
            1, &n, Int32(key.batch),
            spectrum.pointer, nil, 1, Int32(spectrumLength),
            realStart, nil, 1, Int32(key.length),
            flags)!
        fftw_set_timelimit(FFTW_NO_TIMELIMIT)
        return FFTWPlanPair(length: key.length, batch: key.batch, forward: forward, inverse: inverse)
    }
}

/// A forward (r2c) and inverse (c2r) plan of the same shape. The inverse is unnormalised (it
/// returns `length` times the input) and destroys its complex input, as FFTW's c2r does.
/// Plans are immutable once made and their execution is thread-safe on distinct arrays, hence
/// `@unchecked Sendable`. The pair owns its plans: they live as long as the cache or any
/// convolver holds the pair, and are destroyed under the planner lock. (A pair is never released
/// while that lock is held, so the deinit cannot deadlock.)
final class FFTWPlanPair: @unchecked Sendable {
    let length: Int
    let batch: Int
    let forward: fftw_plan
    let inverse: fftw_plan

    init(length: Int, batch: Int, forward: fftw_plan, inverse: fftw_plan) {
        self.length = length
        self.batch = batch
        self.forward = forward
        self.inverse = inverse
    }

    deinit {
        FFTWPlanCache.plannerLock.withLock { _ in
            fftw_destroy_plan(forward)
            fftw_destroy_plan(inverse)
        }
    }

    var spectrumLength: Int { length / 2 + 1 }

    func forward(_ real: UnsafeMutablePointer<Double>, _ spectrum: UnsafeMutablePointer<fftw_complex>) {
        fftw_execute_dft_r2c(forward, real, spectrum)
    }

    func inverse(_ spectrum: UnsafeMutablePointer<fftw_complex>, _ real: UnsafeMutablePointer<Double>) {
        fftw_execute_dft_c2r(inverse, spectrum, real)
    }
}
