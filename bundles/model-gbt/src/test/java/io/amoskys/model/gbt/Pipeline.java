package io.amoskys.model.gbt;

import io.amoskys.agent.flow.FlowAgent;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.export.Exports;
import io.amoskys.stage.anomaly.AnomalyStage;
import io.amoskys.stage.canonical.CanonicalStage;
import io.amoskys.stage.cross.CrossStage;
import io.amoskys.stage.domain.DomainStage;
import io.amoskys.stage.temporal.TemporalStage;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;

/** The platform's flow agent and five stages with their default configuration, outside OSGi. */
public final class Pipeline {
    public static final Path CAPTURES = Path.of(System.getProperty("amoskys.pcapData", "../../../shared/data/pcap"));

    private Pipeline() {}

    public static List<FeatureSet> stages() {
        return List.of(new CanonicalStage(), new TemporalStage(defaults(TemporalStage.Config.class)),
                new CrossStage(defaults(CrossStage.Config.class)), new DomainStage(defaults(DomainStage.Config.class)),
                new AnomalyStage(defaults(AnomalyStage.Config.class)));
    }

    static Exports exports() {
        return new Exports(stages(), null);
    }

    public static FlowAgent decoder() {
        return new FlowAgent(defaults(FlowAgent.Config.class));
    }

    /** What DS gives a component with no configuration: every attribute at its declared default. */
    @SuppressWarnings("unchecked")
    private static <A extends Annotation> A defaults(Class<A> type) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> switch (method.getName()) {
            case "annotationType" -> type;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> type.getSimpleName() + " defaults";
            default -> method.getDefaultValue();
        });
    }
}
