package io.amoskys.model.runtime;

import io.amoskys.api.admin.MetricsSource;
import io.amoskys.model.format.RefusalReason;
import io.amoskys.model.runtime.admin.ShadowReport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The runtime's metrics, every family once with its HELP and TYPE, samples labelled by model and
 * version. Model names and versions need no escaping: the descriptor rules keep quotes out.
 */
final class ModelMetrics implements MetricsSource {
    private final ModelCatalog catalog;

    ModelMetrics(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        List<ModelCatalog.Entry> entries = catalog.entries();
        family(out, "amoskys_model_state", "gauge", "1 for each loaded model version, labelled with its state");
        for (ModelCatalog.Entry e : entries) {
            sample(out, "amoskys_model_state", labels(e.version()) + ",state=\"" + e.state().code() + "\"", 1);
        }
        counter(out, entries, "amoskys_model_rows_total", "Vectors scored (a sequence model: windows scored)",
                v -> v.stats.rows.sum());
        counter(out, entries, "amoskys_model_other_schema_total",
                "Vectors not scored because their schema is not the model's (not an error)", v -> v.stats.otherSchema.sum());
        family(out, "amoskys_model_errors_total", "counter", "Vectors the model could not score, by reason");
        for (ModelCatalog.Entry e : entries) {
            for (Map.Entry<ScoringError, LongAdder> error : e.version().stats.errors.entrySet()) {
                sample(out, "amoskys_model_errors_total", labels(e.version()) + ",reason=\"" + error.getKey().code() + "\"",
                        error.getValue().sum());
            }
        }
        family(out, "amoskys_model_window_entities", "gauge",
                "Sequence models: entities whose last vectors the version keeps (at most windowEntities)");
        entries.stream().filter(e -> e.version().windows != null).forEach(e -> sample(out, "amoskys_model_window_entities",
                labels(e.version()), e.version().windows.entities()));
        family(out, "amoskys_model_window_evictions_total", "counter",
                "Sequence models: entities whose window was dropped to make room for another (those holding a whole window last)");
        entries.stream().filter(e -> e.version().windows != null).forEach(e -> sample(out,
                "amoskys_model_window_evictions_total", labels(e.version()), e.version().windows.evictions.sum()));
        family(out, "amoskys_model_window_stride", "gauge",
                "Sequence models: an entity's window is scored on its first vector, then every this many of its vectors (windowStride)");
        entries.stream().filter(e -> e.version().windows != null).forEach(e -> sample(out, "amoskys_model_window_stride",
                labels(e.version()), e.version().stride));
        counter(out, entries, "amoskys_model_window_skipped_total", "Vectors that entered their entity's window but got no "
                + "score, the window not due at the stride (not an error); vectors seen = rows + skipped + errors + other schema",
                v -> v.stats.skipped.sum());
        family(out, "amoskys_model_java_tree_rows", "gauge", "Tree models: calls of up to this many rows are scored in Java, "
                + "equal to ONNX Runtime on probe rows at load (javaTreeRows); 0: ONNX Runtime scores every call");
        entries.forEach(e -> sample(out, "amoskys_model_java_tree_rows", labels(e.version()), e.version().javaTreeRows()));
        family(out, "amoskys_model_call_seconds", "histogram", "Time of one scoring call (a batch of rows)");
        entries.forEach(e -> e.version().stats.latency.write(out, "amoskys_model_call_seconds", labels(e.version())));
        family(out, "amoskys_model_score", "histogram", "Calibrated scores, shadow versions' included");
        entries.forEach(e -> e.version().stats.scores.write(out, "amoskys_model_score", labels(e.version())));
        writeShadows(out);
        writeRefusals(out);
    }

    /** A model that went between the listing and this call has no report: the rest of the scrape stays. */
    private List<ShadowReport> reportsOf(String name) {
        try {
            return catalog.compare(name);
        } catch (IllegalArgumentException gone) {
            return List.of();
        }
    }

    private void writeShadows(StringBuilder out) {
        List<ShadowReport> reports = catalog.entries().stream().map(e -> e.version().name()).distinct()
                .flatMap(name -> reportsOf(name).stream()).toList();
        family(out, "amoskys_model_shadow_compared_rows", "gauge",
                "Vectors both a shadow version and the active one scored since the shadow's comparison began");
        reports.forEach(r -> sample(out, "amoskys_model_shadow_compared_rows", shadowLabels(r), r.rows()));
        family(out, "amoskys_model_shadow_agreement_ratio", "gauge",
                "Share of compared vectors with the same verdict from the shadow and the active version");
        reports.stream().filter(r -> r.rows() > 0)
                .forEach(r -> sample(out, "amoskys_model_shadow_agreement_ratio", shadowLabels(r), r.agreement()));
        family(out, "amoskys_model_shadow_score_shift_mean", "gauge", "Mean |shadow score - active score|");
        reports.stream().filter(r -> r.rows() > 0)
                .forEach(r -> sample(out, "amoskys_model_shadow_score_shift_mean", shadowLabels(r), r.meanShift()));
    }

    private void writeRefusals(StringBuilder out) {
        family(out, "amoskys_model_refused", "gauge", "1 for each model a started bundle carries that was refused, with the reason");
        for (RefusedModel r : catalog.refusedModels()) {
            // A refused model's name may come from an unsigned descriptor: escaped.
            sample(out, "amoskys_model_refused", "model=\"" + escape(r.name()) + "\",version=\"" + escape(r.version())
                    + "\",reason=\"" + r.reason().code() + "\"", 1);
        }
        family(out, "amoskys_model_refused_total", "counter", "Models refused since start, by reason");
        for (RefusalReason reason : RefusalReason.values()) {
            sample(out, "amoskys_model_refused_total", "reason=\"" + reason.code() + "\"",
                    catalog.refusedTotal().get(reason).sum());
        }
    }

    private static void counter(StringBuilder out, List<ModelCatalog.Entry> entries, String name, String help,
            Function<ModelVersion, Long> value) {
        family(out, name, "counter", help);
        entries.forEach(e -> sample(out, name, labels(e.version()), value.apply(e.version())));
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append('{').append(labels).append("} ");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String labels(ModelVersion v) {
        return "model=\"" + v.name() + "\",version=\"" + v.version() + "\"";
    }

    private static String shadowLabels(ShadowReport r) {
        return "model=\"" + r.name() + "\",version=\"" + r.shadowVersion() + "\",active=\"" + r.activeVersion() + "\"";
    }
}
