package io.amoskys.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Instructions;
import aQute.bnd.osgi.Jar;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.service.diff.Tree;
import aQute.bnd.version.Version;
import aQute.lib.json.JSONCodec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantic-version baselining of the public API, in every build.
 *
 * <p>The API as built is compared by bnd's baseline engine (the one bnd-baseline-maven-plugin
 * runs), under the module's own bnd rules, with the API of the last release, recorded as bnd's
 * API tree in {@code cnf/baseline/io.amoskys.api.json}. A change that needs a higher package
 * version than package-info.java declares fails the build. At a release, record the new API with
 * {@code mvn -pl bundles/api test -Dtest=BaselineTest -Damoskys.api.record=true}.
 *
 * <p>The other tests change the real sources on purpose and show the engine demanding the right
 * version for each kind of change.
 */
class BaselineTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path RECORDED = MODULE.resolve("../../cnf/baseline/io.amoskys.api.json").normalize();

    /** What a release promised: its exported packages and versions, and its API tree. */
    public static class Recorded {
        public String release;
        public String exports;
        public Tree.Data api;
    }

    @TempDir
    Path work;

    @Test
    void theApiKeepsThePromisesOfItsLastRelease() throws Exception {
        Jar built = bundle(MODULE.resolve("target/classes"), "built");
        DiffPluginImpl differ = new DiffPluginImpl();
        if (Boolean.getBoolean("amoskys.api.record")) {
            Recorded recorded = new Recorded();
            recorded.release = System.getProperty("amoskys.api.release", "1.0.0");
            recorded.exports = built.getManifest().getMainAttributes().getValue("Export-Package");
            recorded.api = pruned(differ.tree(built).serialize());
            Files.createDirectories(RECORDED.getParent());
            Files.writeString(RECORDED, new JSONCodec().enc().indent("  ").put(recorded).toString() + "\n");
            return;
        }
        Recorded release = new JSONCodec().dec().from(RECORDED.toFile()).get(Recorded.class);
        try (Builder reporter = new Builder()) {
            Set<Baseline.Info> infos = new Baseline(reporter, differ).baseline(differ.tree(built),
                    new Parameters(built.getManifest().getMainAttributes().getValue("Export-Package")),
                    differ.deserialize(release.api), new Parameters(release.exports), new Instructions("*"));
            assertFalse(infos.isEmpty(), "the recorded API has packages to compare");
            for (Baseline.Info info : infos) {
                assertFalse(info.mismatch, info.packageName + " " + info.newerVersion + " breaks the promises of release "
                        + release.release + " (" + info.packageDiff.getDelta() + " change): it needs version "
                        + info.suggestedVersion + ". " + (info.warning == null ? "" : info.warning));
            }
        }
    }

    /** Empty child lists left out, so that the recorded file stays small enough to read. */
    private static Tree.Data pruned(Tree.Data data) {
        if (data.children != null && data.children.length == 0) {
            data.children = null;
        } else if (data.children != null) {
            for (Tree.Data child : data.children) {
                pruned(child);
            }
        }
        return data;
    }

    @Test
    void anUnchangedApiNeedsNoNewVersion() throws Exception {
        Set<Baseline.Info> infos = baseline(bundle(MODULE.resolve("target/classes"), "same"));
        infos.forEach(info -> assertFalse(info.mismatch, info.packageName + " mismatch"));
    }

    @Test
    void changingAPluginMethodIsABreakingChangeThatFailsBaselining() throws Exception {
        Path broken = compileChanged("io/amoskys/api/Detector.java",
                "Score score(FeatureVector vector);", "Score score(FeatureVector vector, long deadlineNanos);",
                "scores.add(score(vector));", "scores.add(score(vector, Long.MAX_VALUE));");
        Baseline.Info api = info(baseline(bundle(broken, "broken")), "io.amoskys.api");

        assertEquals(Delta.MAJOR, api.packageDiff.getDelta());
        assertTrue(api.mismatch, "package version 1.0.0 kept across a breaking change is an error");
        assertEquals(new Version(2, 0, 0), api.suggestedVersion);
    }

    @Test
    void addingToAProviderInterfaceIsAMinorChangeThatStillNeedsABump() throws Exception {
        Path added = compileChanged("io/amoskys/api/admin/PlatformStatus.java",
                "List<EndpointDTO> endpoints();", "List<EndpointDTO> endpoints();\n\n    long uptimeMillis();");
        Baseline.Info admin = info(baseline(bundle(added, "minor")), "io.amoskys.api.admin");

        assertEquals(Delta.MINOR, admin.packageDiff.getDelta());
        assertTrue(admin.mismatch);
        Version declared = admin.olderVersion;
        assertEquals(new Version(declared.getMajor(), declared.getMinor() + 1, 0), admin.suggestedVersion);
    }

    private Set<Baseline.Info> baseline(Jar newer) throws Exception {
        Jar older = bundle(MODULE.resolve("target/classes"), "built");
        try (Builder reporter = new Builder()) {
            Set<Baseline.Info> infos = new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, null);
            assertEquals(List.of(), reporter.getErrors());
            return infos;
        }
    }

    private static Baseline.Info info(Set<Baseline.Info> infos, String packageName) {
        return infos.stream().filter(i -> i.packageName.equals(packageName)).findFirst().orElseThrow();
    }

    /** A bundle of {@code classes} made with the same bnd instructions as the real build. */
    private Jar bundle(Path classes, String name) throws Exception {
        Builder builder = new Builder();
        builder.setBase(MODULE.toFile());
        builder.setProperties(MODULE.resolve("../../bnd.bnd").normalize().toFile());
        builder.mergeProperties(MODULE.resolve("bnd.bnd").toFile(), true);
        builder.setProperty("Bundle-SymbolicName", "io.amoskys.api");
        builder.setProperty("Bundle-Version", "1.0.0." + name);
        builder.setProperty("-includepackage", "io.amoskys.api.*");
        builder.addClasspath(classes.toFile());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            builder.addClasspath(new File(entry));
        }
        Jar jar = builder.build();
        assertEquals(List.of(), builder.getErrors(), "bnd errors");
        return jar;
    }

    /** Compiles the API with one source file changed, into a folder that holds the whole API. */
    private Path compileChanged(String source, String... fromTo) throws IOException {
        Path sources = work.resolve("src");
        Path classes = work.resolve("classes");
        copy(MODULE.resolve("src/main/java"), sources);
        Path changed = sources.resolve(source);
        String text = Files.readString(changed);
        for (int i = 0; i < fromTo.length; i += 2) {
            assertTrue(text.contains(fromTo[i]), source + " no longer contains: " + fromTo[i]);
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        Files.writeString(changed, text);
        Files.createDirectories(classes);
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of(
                "-d", classes.toString(), "--release", "17", "-proc:none",
                "-cp", System.getProperty("java.class.path")));
        args.addAll(files);
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the changed API compiles");
        return classes;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
