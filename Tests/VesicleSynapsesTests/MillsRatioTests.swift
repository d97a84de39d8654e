import XCTest
import VesicleSynapses

final class MillsRatioTests: XCTestCase {
    /// R(z) = phi(z)/Phi(z) at 50 significant digits, made with
    /// `python3 -c "import mpmath; mpmath.mp.dps = 50; print(mpmath.npdf(z) / mpmath.ncdf(z))"`
    /// for each z (mpmath 1.x; z passed as the Python float, so the argument is the same Double).
    /// Values printed with mpmath.nstr(r, 20).
    let reference: [(z: Double, r: Double)] = [
        (-40, 4.0024968847207263723e+1),
        (-30, 3.0033259667433677037e+1),
        (-20, 2.0049753068527850542e+1),
        (-12.5, 1.2579007304406976089e+1),
        (-8, 8.1213681122361126807),
        (-5, 5.1865039671258421156),
        (-4, 4.2256071444894710728),
        (-3.5, 3.7513912648576997313),
        (-3.0000001, 3.2830987478745178336),
        (-3, 3.2830986549304365069),
        (-2.9999999, 3.2830985619863554949),
        (-2.5, 2.8227447976639072505),
        (-2, 2.3732155328228408673),
        (-1.5, 1.9386771666225431895),
        (-1, 1.5251352761609812091),
        (-0.5, 1.1410777703680644809),
        (0, 7.9788456080286535588e-1),
        (0.5, 5.0916043383703348583e-1),
        (1, 2.8759997093917836123e-1),
        (2, 5.5247862678989959102e-2),
        (3, 4.4378390421256637933e-3),
        (5, 1.4867199409049057124e-6),
        (8, 5.0522710835368954309e-15),
        (12, 2.146383735663060345e-32),
        (20, 5.5209483621597631896e-88),
        (30, 1.473646134878547519e-196),
        (37, 2.1200065515246056269e-298),
    ]

    /// Relative 1e-13 across [-40, 37] (the method's stated accuracy is a few 1e-15 for |z| <= 8,
    /// growing to ~1e-14 near z = 37 through exp(-z^2/2)); on both sides of the switch at z = -3.
    func testMatchesHighPrecisionReference() {
        for (z, r) in reference {
            let got = inverseMillsRatio(z)
            XCTAssertEqual(got, r, accuracy: 1e-13 * r, "R(\(z))")
        }
    }

    /// Finite everywhere on [-40, 40]; beyond z ~ 37.6 the true value is below Double's normal range
    /// and the result may underflow to a subnormal or 0, never to NaN or infinity.
    func testFiniteAndPositiveAcrossRange() {
        for i in 0...8000 {
            let z = -40 + Double(i) * 0.01
            let r = inverseMillsRatio(z)
            XCTAssertTrue(r.isFinite && r >= 0, "R(\(z)) = \(r)")
            if z < 37 { XCTAssertGreaterThan(r, 0) }
        }
        XCTAssertLessThan(inverseMillsRatio(40), 1e-300)
    }
}
