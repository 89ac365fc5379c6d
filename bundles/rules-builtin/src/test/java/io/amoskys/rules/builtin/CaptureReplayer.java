package io.amoskys.rules.builtin;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.api.rule.RuleInput;
import io.amoskys.feature.export.Stages;
import io.amoskys.rules.sigma.RuleCases;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A capture as the live flow route sees it: the flow agent's events, each through fresh copies of
 * the five stages (canonical, temporal, cross, domain, anomaly), handed to the rules with the
 * vector. No detector runs here, so rules see no scores.
 */
final class CaptureReplayer implements RuleCases.Replayer {
    static final Path CAPTURES = Stages.CAPTURES;

    @Override
    public void replay(String capture, Consumer<RuleInput> sink) throws IOException {
        List<FeatureStage> stages = Stages.all().stream().map(FeatureSet::detached).toList();
        Stages.flowAgent().decode(CAPTURES.resolve(capture), event -> sink.accept(RuleInput.of(event, vector(stages, event),
                List.of())));
    }

    static FeatureVector vector(List<FeatureStage> stages, TelemetryEvent event) {
        FeatureVector v = null;
        try {
            for (FeatureStage s : stages) {
                v = s.process(event, v);
                if (v == null) {
                    return null;
                }
            }
        } catch (RuntimeException e) {
            return null; // a kind the stages do not take: the rules still see the event
        }
        return v;
    }
}
