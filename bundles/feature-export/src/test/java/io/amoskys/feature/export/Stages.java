package io.amoskys.feature.export;

import io.amoskys.agent.flow.FlowAgent;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.stage.anomaly.AnomalyStage;
import io.amoskys.stage.canonical.CanonicalStage;
import io.amoskys.stage.cross.CrossStage;
import io.amoskys.stage.domain.DomainStage;
import io.amoskys.stage.temporal.TemporalStage;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;

/**
 * The platform's own stages and flow agent as DS would make them with no configuration given,
 * outside OSGi. Shared through this module's test jar with the model modules' tests.
 */
public final class Stages {
    /** The shared captures, with their MANIFEST.tsv. */
    public static final Path CAPTURES = Path.of(System.getProperty("amoskys.pcapData", "../../../shared/data/pcap"));

    private Stages() {}

    public static List<FeatureSet> all() {
        return List.of(new CanonicalStage(), new TemporalStage(defaults(TemporalStage.Config.class)),
                new CrossStage(defaults(CrossStage.Config.class)), new DomainStage(defaults(DomainStage.Config.class)),
                new AnomalyStage(defaults(AnomalyStage.Config.class)));
    }

    public static FlowAgent flowAgent() {
        return new FlowAgent(defaults(FlowAgent.Config.class));
    }

    /** Exports through fresh copies of all five stages. */
    public static Exports exports() {
        return new Exports(all(), null);
    }

    /** A configuration annotation whose every attribute has its declared default, as DS gives without a .cfg file. */
    @SuppressWarnings("unchecked")
    public static <A extends Annotation> A defaults(Class<A> type) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> switch (method.getName()) {
            case "annotationType" -> type;
            case "toString" -> type.getSimpleName() + " defaults";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> method.getDefaultValue();
        });
    }
}
