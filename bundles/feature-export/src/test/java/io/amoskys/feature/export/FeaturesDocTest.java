package io.amoskys.feature.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.api.feature.FeatureSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/FEATURES.md is what the stages declare, and the catalogue holds what the issue asks. */
class FeaturesDocTest {
    private static final Path DOC = Path.of(System.getProperty("amoskys.docs", "../../docs")).resolve("FEATURES.md");

    @Test
    void theDocumentIsGeneratedFromTheStagesDeclarations() throws Exception {
        String rendered = FeaturesMarkdown.render(Stages.all());
        if (Boolean.getBoolean("amoskys.docs.write")) {
            Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(DOC), DOC + " is missing: run this test with -Damoskys.docs.write=true");
        assertEquals(rendered, Files.readString(DOC, StandardCharsets.UTF_8),
                "docs/FEATURES.md differs from what the stages declare: regenerate it with "
                        + "mvn -o test -pl bundles/feature-export -Dtest=FeaturesDocTest -Damoskys.docs.write=true");
    }

    @Test
    void thereAreAtLeastAHundredDocumentedFeaturesAndNoNameTwiceInAKind() {
        List<FeatureSet> sets = Stages.all();
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (FeatureSet set : sets) {
            for (FeatureDefinition d : set.definitions()) {
                total++;
                assertTrue(seen.add(d.kind() + "/" + d.name()), d.kind() + " has two features named " + d.name());
            }
        }
        assertTrue(total >= 100, "only " + total + " features");
        for (String kind : List.of("flow", "dns", "arp", "dhcp", "process", "iot")) {
            for (String stage : List.of("canonical", "domain")) {
                assertTrue(sets.stream().filter(s -> s.stage().equals(stage)).anyMatch(s -> !s.columns(kind).isEmpty()),
                        stage + " declares nothing for " + kind);
            }
        }
    }
}
