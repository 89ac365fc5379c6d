package io.amoskys.model.evaluate;

import io.amoskys.model.evaluate.EvaluationReport.CaptureRow;
import io.amoskys.model.evaluate.EvaluationReport.CategoryRow;
import io.amoskys.model.evaluate.EvaluationReport.Verdicts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The report as the shell prints it: a summary, the table per attack category, the table per capture. */
public final class ReportText {
    private ReportText() {}

    public static String render(EvaluationReport r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Model %s %s on %s (%s vectors), threshold %s: a score at or above it is anomalous%n",
                r.model(), r.version(), r.data(), r.kind(), number(r.threshold())));
        out.append(String.format(Locale.ROOT, "ROC AUC, attack against benign vectors: %s (%d attack, %d benign; %d not scored)%n%n",
                number(r.auc()), r.attackVectors(), r.benignVectors(), r.unscored()));

        List<String[]> categories = new ArrayList<>();
        categories.add(new String[] {"Attack category", "Captures", "Vectors", "ROC AUC"});
        for (CategoryRow c : r.categories()) {
            categories.add(new String[] {c.category(), Integer.toString(c.captures()), Long.toString(c.vectors()), number(c.auc())});
        }
        table(out, categories, 1);

        Verdicts v = r.atThreshold();
        out.append(String.format(Locale.ROOT, "%nAt the threshold: precision %s (%d of %d flagged vectors are attacks), "
                + "recall %s (%d of %d attack vectors flagged)%n%n", number(v.precision()), v.truePositives(),
                v.truePositives() + v.falsePositives(), number(v.recall()), v.truePositives(), r.attackVectors()));

        boolean anyUnscored = r.unscored() > 0;
        List<String[]> captures = new ArrayList<>();
        captures.add(anyUnscored ? new String[] {"Capture", "Category", "Vectors", "Max score", "Flagged", "Not scored"}
                : new String[] {"Capture", "Category", "Vectors", "Max score", "Flagged"});
        for (CaptureRow c : r.captures()) {
            String[] row = {c.capture(), c.category(), Long.toString(c.vectors()), number(c.maxScore()), c.flagged() ? "yes" : "no",
                    Long.toString(c.unscored())};
            captures.add(anyUnscored ? row : Arrays.copyOf(row, 5));
        }
        table(out, captures, 2);
        return out.toString();
    }

    /** Four decimals, or "-" for NaN (nothing to compute it from). */
    static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    /** Columns from {@code firstNumeric} on are right-aligned. */
    private static void table(StringBuilder out, List<String[]> rows, int firstNumeric) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String format = i < firstNumeric ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                line.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, row[i]));
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
    }
}
