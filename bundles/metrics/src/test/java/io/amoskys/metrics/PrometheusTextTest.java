package io.amoskys.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void familiesAreWrittenWithHelpTypeAndEscapedLabels() {
        PrometheusText text = new PrometheusText()
                .counter("a_total", "Things counted")
                .gauge("b", "A level");
        text.sample("a_total", 3, "endpoint", "amoskys:detector/x?q=\"1\"", "path", "c:\\d\ne");
        text.sample("b", 0.25);
        assertEquals("""
                # HELP a_total Things counted
                # TYPE a_total counter
                a_total{endpoint="amoskys:detector/x?q=\\"1\\"",path="c:\\\\d\\ne"} 3
                # HELP b A level
                # TYPE b gauge
                b 0.25
                """, text.render());
    }

    @Test
    void anUndeclaredFamilyIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().sample("nope", 1));
    }
}
