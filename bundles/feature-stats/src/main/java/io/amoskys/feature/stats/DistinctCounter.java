package io.amoskys.feature.stats;

import java.util.Arrays;

/**
 * Distinct values over the current and the previous tumbling window (epoch = floorDiv(t, window)),
 * estimated with HyperLogLog (Flajolet, Fusy, Gandouet, Meunier 2007).
 *
 * <p>Each epoch has m = 2<sup>p</sup> one-byte registers. A hash is mixed again (a bijection, so a
 * raw identifier such as a port still spreads), its top p bits choose a register, and the
 * register keeps the largest rank seen: the position of the first 1 bit in the remaining
 * 64 - p bits. The registers of epochs e and e-1 are merged by maximum for an estimate. Two
 * epochs are kept, the newest seen and the one before it; older ones count as empty for any now,
 * and a register array is cleared when its slot is reused for a newer epoch.
 * Memory 2·2<sup>p</sup> bytes; no allocation. Not thread-safe.
 */
public final class DistinctCounter {
    private static final byte[] NO_REGISTERS = new byte[1 << 12];
    private static final double[] INVERSE_POWERS = new double[66];

    static {
        for (int r = 0; r < INVERSE_POWERS.length; r++) {
            INVERSE_POWERS[r] = Math.scalb(1.0, -r);
        }
    }

    private final long windowNanos;
    private final int precision;
    private final byte[][] registers; // [epoch & 1][register]
    private final long[] slotEpoch = {Long.MIN_VALUE, Long.MIN_VALUE};
    private long newestEpoch = Long.MIN_VALUE;
    private final double alphaMSquared;
    /** The last estimate and the epoch it was for, valid until a register or the epochs change: most adds change nothing. */
    private long cachedEpoch = Long.MIN_VALUE;
    private double cachedEstimate;
    private boolean changed = true;

    /**
     * precision p in [4, 12]: 2^p one-byte registers per epoch, two epochs kept; relative standard
     * error about 1.04/sqrt(2^p).
     */
    public DistinctCounter(long windowNanos, int precision) {
        if (windowNanos <= 0 || precision < 4 || precision > 12) {
            throw new IllegalArgumentException("need window > 0 and precision in [4, 12]: " + windowNanos + ", " + precision);
        }
        this.windowNanos = windowNanos;
        this.precision = precision;
        int m = 1 << precision;
        this.registers = new byte[2][m];
        double alpha = switch (m) {
            case 16 -> 0.673;
            case 32 -> 0.697;
            case 64 -> 0.709;
            default -> 0.7213 / (1 + 1.079 / m);
        };
        this.alphaMSquared = alpha * m * m;
    }

    /**
     * Adds a value by its 64-bit hash (use Hashes). Values older than the previous epoch
     * (relative to the newest epoch seen) are ignored and return false.
     */
    public boolean add(long tNanos, long hash) {
        long epoch = Math.floorDiv(tNanos, windowNanos);
        if (newestEpoch != Long.MIN_VALUE && epoch < newestEpoch - 1) {
            return false;
        }
        if (epoch > newestEpoch) {
            newestEpoch = epoch;
            changed = true;
        }
        int slot = (int) (epoch & 1);
        byte[] epochRegisters = registers[slot];
        if (slotEpoch[slot] != epoch) { // holds an older epoch (never a newer one): start afresh
            Arrays.fill(epochRegisters, (byte) 0);
            slotEpoch[slot] = epoch;
            changed = true;
        }
        long h = Hashes.mix(hash);
        int index = (int) (h >>> (64 - precision));
        // The guard bit caps the rank at 64 - p + 1 when the remaining bits are all 0.
        int rank = Long.numberOfLeadingZeros((h << precision) | (1L << (precision - 1))) + 1;
        if (rank > epochRegisters[index]) {
            epochRegisters[index] = (byte) rank;
            changed = true;
        }
        return true;
    }

    /**
     * Estimated number of distinct hashes added in epochs e and e-1, where
     * e = floorDiv(nowNanos, window); registers of epochs older than e-1 count as empty. Uses the
     * standard HLL estimator with the linear-counting small-range correction, so small counts are
     * (near) exact.
     *
     * <p>Raw estimate E = α<sub>m</sub> m² / Σ<sub>j</sub> 2<sup>-M[j]</sup> over the merged
     * registers M; when E &le; 2.5 m and V registers are 0 (V &gt; 0), m ln(m / V) instead. With
     * 64-bit hashes no large-range correction is needed.
     */
    public double estimate(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos, windowNanos);
        if (!changed && epoch == cachedEpoch) {
            return cachedEstimate;
        }
        cachedEstimate = compute(epoch);
        cachedEpoch = epoch;
        changed = false;
        return cachedEstimate;
    }

    private double compute(long epoch) {
        byte[] current = registersOf(epoch);
        byte[] previous = registersOf(epoch - 1);
        if (current == NO_REGISTERS && previous == NO_REGISTERS) {
            return 0.0;
        }
        int m = 1 << precision;
        double inverseSum = 0;
        int zeros = 0;
        for (int j = 0; j < m; j++) {
            int rank = Math.max(current[j], previous[j]);
            inverseSum += INVERSE_POWERS[rank];
            if (rank == 0) {
                zeros++;
            }
        }
        double raw = alphaMSquared / inverseSum;
        return raw <= 2.5 * m && zeros > 0 ? m * Math.log((double) m / zeros) : raw;
    }

    /** The registers of an epoch still kept (the newest seen or the one before it), else none. */
    private byte[] registersOf(long epoch) {
        int slot = (int) (epoch & 1);
        return slotEpoch[slot] == epoch && epoch >= newestEpoch - 1 ? registers[slot] : NO_REGISTERS;
    }
}
