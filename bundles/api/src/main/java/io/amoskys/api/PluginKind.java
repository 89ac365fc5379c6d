package io.amoskys.api;

import java.util.Locale;
import java.util.Optional;

/** The kinds of plugin, each with the service interface that defines it. */
public enum PluginKind {
    AGENT(Agent.class),
    STAGE(FeatureStage.class),
    DETECTOR(Detector.class),
    RULE(CorrelationRule.class),
    RESPONDER(Responder.class);

    private final Class<?> serviceType;

    PluginKind(Class<?> serviceType) {
        this.serviceType = serviceType;
    }

    public Class<?> serviceType() {
        return serviceType;
    }

    /** The lower-case word used in endpoint URIs ({@code amoskys:detector/NAME}). */
    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PluginKind> fromUriName(String word) {
        for (PluginKind kind : values()) {
            if (kind.uriName().equals(word)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
