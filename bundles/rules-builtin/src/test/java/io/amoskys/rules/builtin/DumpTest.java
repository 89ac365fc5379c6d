package io.amoskys.rules.builtin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Not a test: prints a capture's events (-Damoskys.dump=FILE). */
class DumpTest {
    @Test
    @EnabledIfSystemProperty(named = "amoskys.dump", matches = ".+")
    void dump() throws Exception {
        int[] n = {0};
        for (String file : System.getProperty("amoskys.dump").split(",")) {
            System.out.println("== " + file);
            n[0] = 0;
            new CaptureReplayer().replay(file, in -> {
                String only = System.getProperty("amoskys.dumpKind", "");
                if (!only.isEmpty() && !in.event().kind().equals(only)) {
                    return;
                }
                if (n[0]++ < Integer.getInteger("amoskys.dumpMax", 40)) {
                    StringBuilder f = new StringBuilder();
                    for (String name : System.getProperty("amoskys.dumpFeatures", "").split(",")) {
                        if (!name.isEmpty()) {
                            f.append(name).append('=').append(in.field(name)).append(' ');
                        }
                    }
                    var e = in.event();
                    var l = new java.util.TreeMap<>(e.labels());
                    l.remove("source");
                    var m = new java.util.TreeMap<String, Double>();
                    e.metrics().forEach((k, v) -> { if (v != 0 && !k.startsWith("gap_") && !k.equals("duration_s")) m.put(k, v); });
                    System.out.println(f + "| " + e.kind() + " " + e.entityId() + " t=" + (e.timestampNanos() / 1_000_000) % 100000 + " " + l + " " + m);
                }
            });
        }
    }
}
