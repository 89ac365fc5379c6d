package io.amoskys.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The remembered texts read as freshly formatted ones, and the same endpoint gives the same String. */
class EndpointTextsTest {
    private final EndpointTexts texts = new EndpointTexts();

    @Test
    void anAddressAskedAgainIsTheSameStringAndReadsAsItsFormattedText() {
        String first = texts.address(4, 0, 0xC0A80001L);
        assertEquals("192.168.0.1", first);
        assertSame(first, texts.address(4, 0, 0xC0A80001L));
        assertEquals("2001:db8::1", texts.address(6, 0x20010db800000000L, 1));
        assertEquals("0.0.0.1", texts.address(4, 0, 1));
        assertEquals("::1", texts.address(6, 0, 1), "the same bits as another version are another address");
        String host = texts.host(first);
        assertEquals("host:192.168.0.1", host);
        assertSame(host, texts.host(first));
        assertSame(texts.port(443), texts.port(443));
        assertEquals("443", texts.port(443));
    }

    @Test
    void manyMoreEndpointsThanSlotsStillReadRight() {
        Random random = new Random(5);
        for (int i = 0; i < 100_000; i++) { // slots are taken over again and again
            long lo = random.nextInt(1 << 14) & 0xffffffffL;
            boolean v6 = random.nextInt(8) == 0;
            long hi = v6 ? 0x20010db800000000L : 0;
            String address = texts.address(v6 ? 6 : 4, hi, lo);
            assertEquals(FlowRecord.address(v6 ? 6 : 4, hi, lo), address);
            assertEquals("host:" + address, texts.host(address));
            assertEquals("host:" + address, texts.host(new String(address)), "an equal string that is not the remembered one");
            int port = random.nextInt(65536);
            assertEquals(Integer.toString(port), texts.port(port));
        }
    }
}
