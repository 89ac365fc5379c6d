package io.amoskys.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {
    @Test
    void theJvmAndTheProcessAreWrittenUnderDeclaredFamilies() {
        PrometheusText text = new PrometheusText();
        JvmMetrics.write(text);
        String out = text.render();

        Matcher heap = Pattern.compile("(?m)^jvm_memory_bytes_used\\{area=\"heap\"} (\\d+)$").matcher(out);
        assertTrue(heap.find() && Long.parseLong(heap.group(1)) > 0, out);
        Matcher cpu = Pattern.compile("(?m)^process_cpu_seconds_total (\\S+)$").matcher(out);
        assertTrue(cpu.find() && Double.parseDouble(cpu.group(1)) > 0, "this test has used CPU: " + out);
        assertTrue(Pattern.compile("(?m)^jvm_gc_collection_seconds_count\\{gc=\"[^\"]+\"} \\d+$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^jvm_threads_current [1-9]\\d*$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^process_open_fds [1-9]\\d*$").matcher(out).find(), "Linux has file descriptors: " + out);

        Set<String> declared = new HashSet<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                assertTrue(declared.add(line.split(" ")[2]), "one TYPE per family: " + line);
            } else if (!line.startsWith("#")) {
                String family = line.split("[{ ]")[0];
                assertTrue(declared.contains(family), "sample of an undeclared family: " + line);
            }
        }
    }
}
