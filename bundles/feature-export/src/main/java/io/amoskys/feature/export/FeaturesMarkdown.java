package io.amoskys.feature.export;

import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.api.feature.FeatureSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/FEATURES.md, written from the stages' own declarations so that it cannot drift from the
 * code: a test compares the file with what this renders, and {@code amoskys:features --markdown}
 * prints it from a running platform.
 */
final class FeaturesMarkdown {
    private static final List<String> KIND_ORDER = List.of("flow", "dns", "arp", "dhcp", "process", "iot", "snmp");

    private FeaturesMarkdown() {}

    static String render(List<FeatureSet> sets) {
        List<FeatureSet> stages = new ArrayList<>(sets);
        stages.sort(Comparator.comparingInt((FeatureSet s) -> rank(FeatureChain.DEFAULT, s.stage())).thenComparing(FeatureSet::stage));
        Map<String, List<Row>> byKind = new LinkedHashMap<>();
        for (FeatureSet set : stages) {
            for (FeatureDefinition d : set.definitions()) {
                byKind.computeIfAbsent(d.kind(), k -> new ArrayList<>()).add(new Row(set, d));
            }
        }
        List<String> kinds = new ArrayList<>(byKind.keySet());
        kinds.sort(Comparator.comparingInt((String k) -> rank(KIND_ORDER, k)).thenComparing(k -> k));
        long total = byKind.values().stream().mapToLong(List::size).sum();

        StringBuilder md = new StringBuilder();
        md.append("# Features\n\n")
                .append("<!-- Generated from the feature stages' declarations by FeaturesMarkdown; do not edit. Regenerate with\n")
                .append("     mvn -o test -pl bundles/feature-export -Dtest=FeaturesDocTest -Damoskys.docs.write=true -->\n\n")
                .append("Every column of a feature vector, as the stages declare it. A vector's schema is named after the\n")
                .append("kind and the chain of stages that built it, each with its feature set's version, for example\n")
                .append("`flow:canonical.1+temporal.2+cross.1+domain.2+anomaly.1`; models name the schema they were\n")
                .append("trained on. Time is the events' own (a replayed capture gives the features it gave live).\n\n")
                .append(total).append(" features.\n\n")
                .append("| stage | version | features | what it adds |\n|---|---|---|---|\n");
        for (FeatureSet set : stages) {
            md.append("| ").append(set.stage()).append(" | ").append(set.version()).append(" | ")
                    .append(set.definitions().size()).append(" | ").append(cell(set.description())).append(" |\n");
        }
        for (String kind : kinds) {
            List<Row> rows = byKind.get(kind);
            String entity = rows.get(0).definition.entity();
            md.append("\n## Kind `").append(kind).append("` (").append(rows.size()).append(" features, entity: ")
                    .append(entity).append(")\n\n")
                    .append("| feature | stage | unit | window | definition |\n|---|---|---|---|---|\n");
            for (Row row : rows) {
                FeatureDefinition d = row.definition;
                // A column kept per another entity than the vector's (a flow's service) says so.
                String per = d.entity().equals(entity) ? "" : "(per " + d.entity() + ") ";
                md.append("| `").append(d.name()).append("` | ").append(row.set.stage()).append(" | ").append(cell(d.unit()))
                        .append(" | ").append(d.window()).append(" | ").append(per).append(cell(d.definition())).append(" |\n");
            }
        }
        return md.toString();
    }

    private record Row(FeatureSet set, FeatureDefinition definition) {}

    private static int rank(List<String> order, String name) {
        int i = order.indexOf(name);
        return i < 0 ? order.size() : i;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
