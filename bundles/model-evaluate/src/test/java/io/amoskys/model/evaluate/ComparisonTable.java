package io.amoskys.model.evaluate;

import io.amoskys.model.evaluate.SklearnComparisonTest.Aucs;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The comparison as docs/DETECTION.md shows it: Markdown, AUCs to three decimals, "-" where there is none. */
final class ComparisonTable {
    private ComparisonTable() {}

    /** @param categories attack category → {captures, vectors} */
    static String markdown(Map<String, long[]> categories, Aucs allBenignOurs, Aucs allBenignSklearn, Aucs leaveOneOutOurs,
            Aucs leaveOneOutSklearn) {
        StringBuilder out = new StringBuilder();
        out.append("| attack category | captures | vectors | ours, all benign | scikit-learn, all benign "
                + "| ours, leave one out | scikit-learn, leave one out |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        long captures = 0;
        long vectors = 0;
        for (Map.Entry<String, long[]> c : categories.entrySet()) {
            row(out, c.getKey(), c.getValue()[0], c.getValue()[1], allBenignOurs.byCategory().get(c.getKey()),
                    allBenignSklearn.byCategory().get(c.getKey()), leaveOneOutOurs.byCategory().get(c.getKey()),
                    leaveOneOutSklearn.byCategory().get(c.getKey()));
            captures += c.getValue()[0];
            vectors += c.getValue()[1];
        }
        row(out, "**" + SklearnComparisonTest.OVERALL + "**", captures, vectors, allBenignOurs.overall(), allBenignSklearn.overall(),
                leaveOneOutOurs.overall(), leaveOneOutSklearn.overall());
        return out.toString();
    }

    /** The overall AUC of every seed, to show how much of a difference is the seed's. */
    static String perSeed(long[] seeds, List<Aucs> allBenignOurs, List<Aucs> allBenignSklearn, List<Aucs> leaveOneOutOurs,
            List<Aucs> leaveOneOutSklearn) {
        StringBuilder out = new StringBuilder("\n| seed | ours, all benign | scikit-learn, all benign | ours, leave one out "
                + "| scikit-learn, leave one out |\n|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < seeds.length; i++) {
            out.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", seeds[i], auc(allBenignOurs.get(i).overall()),
                    auc(allBenignSklearn.get(i).overall()), auc(leaveOneOutOurs.get(i).overall()), auc(leaveOneOutSklearn.get(i).overall())));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String category, long captures, long vectors, Double... aucs) {
        out.append(String.format(Locale.ROOT, "| %s | %d | %d |", category, captures, vectors));
        for (Double auc : aucs) {
            out.append(' ').append(auc(auc == null ? Double.NaN : auc)).append(" |");
        }
        out.append('\n');
    }

    private static String auc(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
