package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WindowTest {
    @Test
    void lengthsAndSuffixes() {
        assertArrayEquals(new String[] {"1s", "10s", "1m", "10m"},
                Arrays.stream(Window.values()).map(Window::suffix).toArray());
        assertArrayEquals(new long[] {1_000_000_000L, 10_000_000_000L, 60_000_000_000L, 600_000_000_000L},
                Arrays.stream(Window.values()).mapToLong(Window::nanos).toArray());
        assertArrayEquals(new double[] {1, 10, 60, 600},
                Arrays.stream(Window.values()).mapToDouble(Window::seconds).toArray());
        assertEquals("flow_rate_10s", "flow_rate_" + Window.S10.suffix());
    }
}
