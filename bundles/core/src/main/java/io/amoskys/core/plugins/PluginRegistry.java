package io.amoskys.core.plugins;

import io.amoskys.api.Agent;
import io.amoskys.api.CorrelationRule;
import io.amoskys.api.Detector;
import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginKind;
import io.amoskys.api.PluginName;
import io.amoskys.api.Responder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin whiteboard: every Agent, FeatureStage, Detector, CorrelationRule and Responder
 * service with an {@value PluginName#PROPERTY} property, by kind and name, as they come and go.
 * Lookups are lock-free reads of the current winner for a name.
 */
@Component(service = PluginRegistry.class, immediate = true)
public class PluginRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private record Key(PluginKind kind, String name) {}

    /** All services per key; the winner is recomputed on every change (changes are rare). */
    private final Map<Key, List<Plugin>> candidates = new ConcurrentHashMap<>();
    private final Map<Key, Plugin> winners = new ConcurrentHashMap<>();
    private final List<PluginListener> listeners = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAgent(Agent service, ServiceReference<Agent> ref) {
        add(PluginKind.AGENT, service, ref);
    }

    void unbindAgent(Agent service, ServiceReference<Agent> ref) {
        remove(PluginKind.AGENT, ref);
    }

    void updatedAgent(Agent service, ServiceReference<Agent> ref) {
        remove(PluginKind.AGENT, ref);
        add(PluginKind.AGENT, service, ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStage(FeatureStage service, ServiceReference<FeatureStage> ref) {
        add(PluginKind.STAGE, service, ref);
    }

    void unbindStage(FeatureStage service, ServiceReference<FeatureStage> ref) {
        remove(PluginKind.STAGE, ref);
    }

    void updatedStage(FeatureStage service, ServiceReference<FeatureStage> ref) {
        remove(PluginKind.STAGE, ref);
        add(PluginKind.STAGE, service, ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDetector(Detector service, ServiceReference<Detector> ref) {
        add(PluginKind.DETECTOR, service, ref);
    }

    void unbindDetector(Detector service, ServiceReference<Detector> ref) {
        remove(PluginKind.DETECTOR, ref);
    }

    void updatedDetector(Detector service, ServiceReference<Detector> ref) {
        remove(PluginKind.DETECTOR, ref);
        add(PluginKind.DETECTOR, service, ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRule(CorrelationRule service, ServiceReference<CorrelationRule> ref) {
        add(PluginKind.RULE, service, ref);
    }

    void unbindRule(CorrelationRule service, ServiceReference<CorrelationRule> ref) {
        remove(PluginKind.RULE, ref);
    }

    void updatedRule(CorrelationRule service, ServiceReference<CorrelationRule> ref) {
        remove(PluginKind.RULE, ref);
        add(PluginKind.RULE, service, ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindResponder(Responder service, ServiceReference<Responder> ref) {
        add(PluginKind.RESPONDER, service, ref);
    }

    void unbindResponder(Responder service, ServiceReference<Responder> ref) {
        remove(PluginKind.RESPONDER, ref);
    }

    void updatedResponder(Responder service, ServiceReference<Responder> ref) {
        remove(PluginKind.RESPONDER, ref);
        add(PluginKind.RESPONDER, service, ref);
    }

    /** The plugin that serves {@code kind/name} now. */
    public Optional<Plugin> find(PluginKind kind, String name) {
        return Optional.ofNullable(winners.get(new Key(kind, name)));
    }

    /** Every registered plugin, winners and shadowed ones, by kind then name. */
    public synchronized List<Plugin> all() {
        List<Plugin> all = new ArrayList<>();
        candidates.values().forEach(all::addAll);
        all.sort(Comparator.comparing(Plugin::kind).thenComparing(Plugin::name).thenComparing(Plugin::serviceId));
        return all;
    }

    public boolean isWinner(Plugin plugin) {
        return winners.get(new Key(plugin.kind(), plugin.name())) == plugin;
    }

    public void addListener(PluginListener listener) {
        listeners.add(listener);
    }

    public void removeListener(PluginListener listener) {
        listeners.remove(listener);
    }

    private void add(PluginKind kind, Object service, ServiceReference<?> ref) {
        Object nameProperty = ref.getProperty(PluginName.PROPERTY);
        if (!(nameProperty instanceof String name) || name.isBlank()) {
            LOG.warn("Ignoring {} service {} from bundle {}: it has no '{}' property, so no route can address it",
                    kind.uriName(), ref.getProperty(Constants.SERVICE_ID), ref.getBundle().getSymbolicName(),
                    PluginName.PROPERTY);
            return;
        }
        Bundle bundle = ref.getBundle();
        register(new Plugin(kind, name, service, ranking(ref), (Long) ref.getProperty(Constants.SERVICE_ID),
                bundle.getBundleId(), bundle.getSymbolicName() + "/" + bundle.getVersion()));
    }

    /** By service id, whatever the name property says now: a service may have changed it. */
    private void remove(PluginKind kind, ServiceReference<?> ref) {
        long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
        Plugin known;
        synchronized (this) {
            known = candidates.values().stream().flatMap(List::stream)
                    .filter(p -> p.kind() == kind && p.serviceId() == serviceId).findFirst().orElse(null);
        }
        if (known != null) {
            unregister(kind, known.name(), serviceId);
        }
    }

    /** Adds a plugin service (the whiteboard calls it as services arrive). */
    public void register(Plugin plugin) {
        Key key = new Key(plugin.kind(), plugin.name());
        synchronized (this) {
            candidates.computeIfAbsent(key, k -> new ArrayList<>()).add(plugin);
            electWinner(key);
        }
        LOG.info("Plugin {}/{} arrived from {}", plugin.kind().uriName(), plugin.name(), plugin.bundle());
        notifyListeners(key);
    }

    /** Removes the plugin service with this id (the whiteboard calls it as services leave). */
    public void unregister(PluginKind kind, String name, long serviceId) {
        Key key = new Key(kind, name);
        synchronized (this) {
            List<Plugin> list = candidates.get(key);
            if (list == null || !list.removeIf(p -> p.serviceId() == serviceId)) {
                return;
            }
            if (list.isEmpty()) {
                candidates.remove(key);
            }
            electWinner(key);
        }
        LOG.info("Plugin {}/{} (service {}) left", kind.uriName(), name, serviceId);
        notifyListeners(key);
    }

    private void electWinner(Key key) {
        Plugin best = null;
        for (Plugin p : candidates.getOrDefault(key, List.of())) {
            if (best == null || p.outranks(best)) {
                best = p;
            }
        }
        if (best == null) {
            winners.remove(key);
        } else {
            winners.put(key, best);
        }
    }

    private void notifyListeners(Key key) {
        for (PluginListener listener : listeners) {
            try {
                listener.pluginChanged(key.kind(), key.name());
            } catch (RuntimeException e) {
                LOG.error("Plugin listener failed on {}/{}", key.kind().uriName(), key.name(), e);
            }
        }
    }

    private static int ranking(ServiceReference<?> ref) {
        return ref.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }
}
