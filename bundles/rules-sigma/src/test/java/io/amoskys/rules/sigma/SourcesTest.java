package io.amoskys.rules.sigma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** Where rules come from: rule bundles (the extender) and the watched rule folder. */
class SourcesTest {
    @TempDir
    Path dir;

    /** A started bundle with the header and the files of {@code root}, as the framework shows it. */
    private static Bundle bundle(long id, String header, Path root) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "getHeaders": {
                    Hashtable<String, String> h = new Hashtable<>();
                    if (header != null) {
                        h.put(RuleBundleTracker.HEADER, header);
                    }
                    return h;
                }
                case "getBundleId":
                    return id;
                case "getSymbolicName":
                    return "com.example.rules";
                case "findEntries": {
                    Path folder = root.resolve((String) a[0]);
                    if (!Files.isDirectory(folder)) {
                        return null;
                    }
                    try (Stream<Path> walk = Files.walk(folder)) {
                        List<URL> urls = walk.filter(Files::isRegularFile).map(f -> {
                            try {
                                return f.toUri().toURL();
                            } catch (java.net.MalformedURLException e) {
                                throw new IllegalStateException(e);
                            }
                        }).toList();
                        return Collections.enumeration(urls);
                    }
                }
                case "getEntry":
                    return Files.exists(root.resolve((String) a[0])) ? root.resolve((String) a[0]).toUri().toURL() : null;
                case "hashCode":
                    return (int) id;
                case "equals":
                    return p == a[0];
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    @Test
    void theExtenderLoadsARuleBundleSkipsItsTestsAndForgetsItWhenItStops() throws Exception {
        Files.createDirectories(dir.resolve("rules/tests"));
        Files.writeString(dir.resolve("rules/ssh.yml"), SigmaParserTest.GOOD);
        Files.writeString(dir.resolve("rules/bad.yaml"), SigmaParserTest.GOOD.replace("ssh-conn", "bad").replace("level: high",
                "level: loud"));
        Files.writeString(dir.resolve("rules/tests/cases.yaml"), "case: not a rule\nevents: []\n");
        Files.writeString(dir.resolve("rules/README.txt"), "not yaml");
        SigmaEngine engine = new SigmaEngine();
        RuleBundleTracker tracker = new RuleBundleTracker(engine);
        Bundle rules = bundle(42, "rules/", dir);
        assertEquals(42L, tracker.addingBundle(rules, null));
        assertEquals(1, engine.size());
        RuleRefusal refusal = engine.refusals().get(0);
        assertTrue(refusal.source().startsWith("bundle com.example.rules [42]: "), refusal::source);
        assertTrue(refusal.source().endsWith("rules/bad.yaml"), refusal::source);
        assertEquals(4, refusal.line());
        assertEquals(null, tracker.addingBundle(bundle(43, null, dir), null), "a bundle without the header is not tracked");
        tracker.removedBundle(rules, null, 42L);
        assertEquals(0, engine.size());
        assertEquals(List.of(), engine.refusals());
    }

    @Test
    void aBundlesFilesLoadAsOneChangeSoReferencesBetweenThemResolveInAnyOrder() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/a-correlation.yml"), "title: c\nid: c\n"
                + "correlation: {type: event_count, rules: [ssh-conn], timespan: 1m, condition: {gte: 2}}\n");
        Files.writeString(dir.resolve("rules/z-base.yml"), SigmaParserTest.GOOD);
        List<RuleRefusal> reported = new java.util.ArrayList<>();
        SigmaEngine engine = new SigmaEngine(10, 10, reported::add);
        new RuleBundleTracker(engine).addingBundle(bundle(7, "rules/", dir), null);
        assertEquals(2, engine.size());
        assertEquals(List.of(), reported, "no refusal logged for a reference a later file satisfies");
    }

    @Test
    void theRuleFolderLoadsChangesAndForgets() throws Exception {
        SigmaEngine engine = new SigmaEngine();
        Files.writeString(dir.resolve("a.yml"), SigmaParserTest.GOOD);
        try (RuleFolder folder = new RuleFolder(dir, engine)) {
            assertEquals(1, engine.size());
            // a broken file is refused with its line; the good one keeps working
            Files.writeString(dir.resolve("b.yaml"), "title: b\nid: b\nlogsource: {product: amoskys}\ndetection:\n"
                    + "  s: {dport|nope: 1}\n  condition: s\n");
            await(() -> engine.refusals().size() == 1);
            assertEquals(5, engine.refusals().get(0).line());
            assertEquals(dir.resolve("b.yaml").toString(), engine.refusals().get(0).source());
            assertEquals(1, engine.size());
            assertEquals(1, engine.evaluate(Events.flow(0, "host:a", Map.of("dport", "22", "proto", "tcp"))).size());
            // fixed
            Files.writeString(dir.resolve("b.yaml"), "title: b\nid: b\nlogsource: {product: amoskys}\ndetection:\n"
                    + "  s: {dport|gte: 1}\n  condition: s\n");
            await(() -> engine.size() == 2 && engine.refusals().isEmpty());
            Files.delete(dir.resolve("a.yml"));
            await(() -> engine.size() == 1);
            Files.writeString(dir.resolve("notes.txt"), "ignored");
            folder.sync();
            assertEquals(1, engine.size());
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 10 s");
            }
            Thread.sleep(50);
        }
    }
}
