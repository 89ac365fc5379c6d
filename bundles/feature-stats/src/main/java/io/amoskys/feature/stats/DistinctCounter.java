package io.amoskys.feature.stats;

import java.util.Arrays;

/**
 * Distinct values over the current and the previous tumbling window (epoch = floorDiv(t, window)):
 * exact while each epoch has few, then estimated with HyperLogLog (Flajolet, Fusy, Gandouet,
 * Meunier 2007). Two epochs are kept, the newest seen and the one before it; older ones count as
 * empty for any now, and an epoch's slot is emptied when it is reused for a newer epoch.
 *
 * <p><b>Exact phase.</b> Each epoch keeps its first {@value #EXACT_LIMIT} distinct (mixed) hashes
 * in a small array, and the count over both epochs is kept as they arrive. Most entities (a host
 * that opens a few flows) never leave it, so they pay a few words, not the registers'
 * 2·2<sup>p</sup> bytes, and their counts are exact.
 *
 * <p><b>HyperLogLog phase</b>, from the first epoch that sees one more, for the rest of the
 * counter's life: each epoch has m = 2<sup>p</sup> one-byte registers, filled at that moment from
 * both epochs' kept hashes. A hash is mixed again (a bijection, so a raw identifier such as a port
 * still spreads), its top p bits choose a register, and the register keeps the largest rank seen:
 * the position of the first 1 bit in the remaining 64 - p bits. The registers of epochs e and e-1
 * are merged by maximum for an estimate. The estimator's sum Σ 2<sup>-M[j]</sup> is kept up to
 * date as registers change, for each epoch alone and for the two merged, so an estimate costs O(1)
 * rather than a pass over the registers (the temporal stage reads several counters on every
 * event). The sums are fixed-point integers (2<sup>-r</sup> as 2<sup>50-r</sup>), exact and free
 * of rounding drift; ranks above 50 add nothing, an error below 2<sup>-50</sup> per register.
 *
 * <p>Not thread-safe.
 */
public final class DistinctCounter {
    /** Distinct values per epoch counted exactly before the registers take over. */
    static final int EXACT_LIMIT = 16;
    private static final int SCALE_BITS = 50;

    private final long windowNanos;
    private final int precision;
    private final double alphaMSquared;
    private final long[] slotEpoch = {Long.MIN_VALUE, Long.MIN_VALUE};
    private long newestEpoch = Long.MIN_VALUE;
    /** The last time added and its epoch: an estimate is usually read at that time, which spares a division. */
    private long addedNanos = Long.MIN_VALUE;
    private long addedEpoch;

    /**
     * Exact phase: per slot, its distinct mixed hashes (grown from 2 to {@value #EXACT_LIMIT} as
     * needed: most entities see one or two values); null once the registers took over.
     */
    private long[][] exact = new long[2][];
    private final int[] exactSize = new int[2];
    /** Exact phase: distinct hashes over the newest epoch and the one before it. */
    private int mergedExact;

    /** HyperLogLog phase: [epoch & 1][register]; null before. */
    private byte[][] registers;
    /** Per slot: Σ 2^(50-M[j]) and the count of zero registers over that slot alone. */
    private final long[] ownSum = new long[2];
    private final int[] ownZeros = new int[2];
    /** The same over max(newest, newest - 1), the registers an estimate at the newest epoch merges. */
    private long mergedSum;
    private int mergedZeros;

    /**
     * precision p in [4, 12]: 2^p one-byte registers per epoch once past the exact phase, two
     * epochs kept; relative standard error about 1.04/sqrt(2^p).
     */
    public DistinctCounter(long windowNanos, int precision) {
        if (windowNanos <= 0 || precision < 4 || precision > 12) {
            throw new IllegalArgumentException("need window > 0 and precision in [4, 12]: " + windowNanos + ", " + precision);
        }
        this.windowNanos = windowNanos;
        this.addedEpoch = Math.floorDiv(addedNanos, windowNanos);
        this.precision = precision;
        int m = 1 << precision;
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
        addedNanos = tNanos;
        addedEpoch = epoch;
        if (newestEpoch != Long.MIN_VALUE && epoch < newestEpoch - 1) {
            return false;
        }
        if (epoch > newestEpoch) {
            advanceTo(epoch);
        }
        int slot = (int) (epoch & 1);
        if (slotEpoch[slot] != epoch) { // only the previous epoch's slot can be empty or stale here
            clear(slot);
            slotEpoch[slot] = epoch;
        }
        long h = Hashes.mix(hash);
        if (registers == null) {
            if (addExact(slot, h)) {
                return true;
            }
            toRegisters();
        }
        addToRegisters(slot, h);
        return true;
    }

    /** @return false when the slot is full and {@code h} is new to it: time for the registers */
    private boolean addExact(int slot, long h) {
        long[] kept = exact[slot];
        int size = exactSize[slot];
        for (int i = 0; i < size; i++) {
            if (kept[i] == h) {
                return true;
            }
        }
        if (size == EXACT_LIMIT) {
            return false;
        }
        if (kept == null || size == kept.length) {
            kept = kept == null ? new long[2] : Arrays.copyOf(kept, Math.min(EXACT_LIMIT, kept.length * 2));
            exact[slot] = kept;
        }
        kept[size] = h;
        exactSize[slot] = size + 1;
        int other = slot ^ 1;
        if (!containsExact(other, h)) {
            mergedExact++;
        }
        return true;
    }

    private boolean containsExact(int slot, long h) {
        long[] kept = exact[slot]; // null only while the slot is empty
        for (int i = 0; i < exactSize[slot]; i++) {
            if (kept[i] == h) {
                return true;
            }
        }
        return false;
    }

    /** Leaves the exact phase: both slots' kept hashes into fresh registers, and the sums from them. */
    private void toRegisters() {
        int m = 1 << precision;
        registers = new byte[2][m];
        for (int slot = 0; slot < 2; slot++) {
            ownSum[slot] = (long) m << SCALE_BITS;
            ownZeros[slot] = m;
        }
        mergedSum = (long) m << SCALE_BITS;
        mergedZeros = m;
        for (int slot = 0; slot < 2; slot++) {
            for (int i = 0; i < exactSize[slot]; i++) {
                addToRegisters(slot, exact[slot][i]);
            }
        }
        exact = null;
    }

    private void addToRegisters(int slot, long h) {
        byte[] epochRegisters = registers[slot];
        int index = (int) (h >>> (64 - precision));
        // The guard bit caps the rank at 64 - p + 1 when the remaining bits are all 0.
        int rank = Long.numberOfLeadingZeros((h << precision) | (1L << (precision - 1))) + 1;
        int old = epochRegisters[index];
        if (rank <= old) {
            return;
        }
        epochRegisters[index] = (byte) rank;
        ownSum[slot] += weight(rank) - weight(old);
        if (old == 0) {
            ownZeros[slot]--;
        }
        // The other slot is the merge partner (the newest epoch and the one before it) or empty.
        int mergedOld = Math.max(old, registers[slot ^ 1][index]);
        if (rank > mergedOld) {
            mergedSum += weight(rank) - weight(mergedOld);
            if (mergedOld == 0) {
                mergedZeros--;
            }
        }
    }

    private static long weight(int rank) {
        return rank > SCALE_BITS ? 0 : 1L << (SCALE_BITS - rank);
    }

    /**
     * A newer epoch: its slot starts empty and the merge partner becomes the newest epoch before
     * it, if that is the one just before, else nothing.
     */
    private void advanceTo(long epoch) {
        int slot = (int) (epoch & 1);
        int before = slot ^ 1;
        clear(slot);
        slotEpoch[slot] = epoch;
        if (slotEpoch[before] != epoch - 1) {
            clear(before);
            slotEpoch[before] = Long.MIN_VALUE;
        }
        newestEpoch = epoch;
        mergedExact = exactSize[before];
        mergedSum = ownSum[before];
        mergedZeros = ownZeros[before];
    }

    private void clear(int slot) {
        exactSize[slot] = 0;
        if (registers != null) {
            Arrays.fill(registers[slot], (byte) 0);
            int m = 1 << precision;
            ownSum[slot] = (long) m << SCALE_BITS;
            ownZeros[slot] = m;
        }
    }

    /**
     * Distinct hashes added in epochs e and e-1, where e = floorDiv(nowNanos, window); epochs older
     * than the newest seen minus one count as empty. Exact in the exact phase; after it the
     * standard HLL estimator with the linear-counting small-range correction, so small counts stay
     * near exact.
     *
     * <p>Raw estimate E = α<sub>m</sub> m² / Σ<sub>j</sub> 2<sup>-M[j]</sup> over the merged
     * registers M; when E &le; 2.5 m and V registers are 0 (V &gt; 0), m ln(m / V) instead. With
     * 64-bit hashes no large-range correction is needed.
     */
    public double estimate(long nowNanos) {
        long epoch = nowNanos == addedNanos ? addedEpoch : Math.floorDiv(nowNanos, windowNanos);
        if (newestEpoch == Long.MIN_VALUE || epoch > newestEpoch + 1 || epoch < newestEpoch - 1) {
            return 0.0; // nothing kept for that epoch and the one before it
        }
        if (epoch == newestEpoch) {
            return registers == null ? mergedExact : fromSums(mergedSum, mergedZeros);
        }
        // One epoch past the newest (only the newest counts), or the one before it (only itself).
        long kept = epoch == newestEpoch + 1 ? newestEpoch : epoch;
        int slot = (int) (kept & 1);
        if (slotEpoch[slot] != kept) {
            return 0.0;
        }
        return registers == null ? exactSize[slot] : fromSums(ownSum[slot], ownZeros[slot]);
    }

    private double fromSums(long scaledSum, int zeros) {
        int m = 1 << precision;
        if (zeros == m) {
            return 0.0;
        }
        double raw = alphaMSquared / Math.scalb((double) scaledSum, -SCALE_BITS);
        return raw <= 2.5 * m && zeros > 0 ? m * Math.log((double) m / zeros) : raw;
    }
}
