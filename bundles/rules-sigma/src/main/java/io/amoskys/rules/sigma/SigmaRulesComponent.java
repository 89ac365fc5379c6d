package io.amoskys.rules.sigma;

import io.amoskys.api.CorrelationRule;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.rule.InputRule;
import io.amoskys.api.rule.RuleInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule {@code sigma}: Sigma rules and correlations from rule bundles ({@value RuleBundleTracker#HEADER}
 * header) and from the rule folder, evaluated on every observation a route gives it.
 */
@Component(service = {CorrelationRule.class, InputRule.class, MetricsSource.class, RulesAdmin.class},
        configurationPid = SigmaRulesComponent.PID, immediate = true)
@PluginName("sigma")
@Designate(ocd = SigmaRulesComponent.Config.class)
public class SigmaRulesComponent implements InputRule, MetricsSource, RulesAdmin {
    static final String PID = "io.amoskys.rules.sigma";
    private static final Logger LOG = LoggerFactory.getLogger(SigmaRulesComponent.class);

    @ObjectClassDefinition(name = "AMOSKYS Sigma rules")
    public @interface Config {
        @AttributeDefinition(description = "Folder of Sigma rule files (.yml, .yaml), watched; empty means etc/amoskys/rules")
        String directory() default "";

        @AttributeDefinition(description = "Most groups (group-by values) each correlation keeps; the least recently matched goes first")
        int maxGroups() default 10_000;

        @AttributeDefinition(description = "Most matches each correlation group keeps in its window; the oldest go first")
        int maxEntriesPerGroup() default 1_000;
    }

    private final SigmaEngine engine;
    private final SigmaMetrics metrics;
    private final BundleTracker<Long> tracker;
    private final RuleFolder folder;

    @Activate
    public SigmaRulesComponent(BundleContext context, Config config) throws IOException {
        this.engine = new SigmaEngine(config.maxGroups(), config.maxEntriesPerGroup(),
                r -> LOG.warn("Sigma rule refused: {}:{}: {}: {}", r.source(), r.line(), r.rule(), r.reason()));
        this.metrics = new SigmaMetrics(engine);
        this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, new RuleBundleTracker(engine));
        tracker.open();
        Path dir = config.directory().isBlank()
                ? Path.of(System.getProperty("karaf.etc", "etc"), "amoskys", "rules")
                : Path.of(config.directory());
        try {
            this.folder = new RuleFolder(dir.toAbsolutePath(), engine);
        } catch (IOException | RuntimeException e) {
            tracker.close();
            throw e;
        }
        LOG.info("Sigma rules ready: {} in force, {} refused", engine.size(), engine.refusals().size());
    }

    @Deactivate
    void deactivate() throws IOException {
        folder.close();
        tracker.close();
    }

    @Override
    public List<Alert> evaluate(RuleInput input) {
        return engine.evaluate(input);
    }

    @Override
    public List<Alert> evaluate(Score score) {
        return engine.evaluate(score);
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        metrics.writePrometheus(out);
    }

    @Override
    public List<RuleStatus> rules() {
        return statusOf(engine);
    }

    static List<RuleStatus> statusOf(SigmaEngine engine) {
        List<RuleStatus> out = new ArrayList<>();
        for (RuleDef d : engine.rules()) {
            out.add(new RuleStatus(d.key(), d.title, d.type(), d.level.word(), d.status, d.tags, d.source, d.line, d.hits.sum(),
                    d.alerts.sum()));
        }
        return out;
    }

    @Override
    public List<RuleRefusal> refusals() {
        return engine.refusals();
    }

    @Override
    public String folder() {
        return folder.folder().toAbsolutePath().toString();
    }
}
