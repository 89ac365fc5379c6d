package io.amoskys.response.internal;

import io.amoskys.api.PluginName;
import io.amoskys.api.Responder;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.response.admin.ActionDTO;
import io.amoskys.response.admin.ActionState;
import io.amoskys.response.admin.ReceiptDTO;
import io.amoskys.response.admin.ResponderDTO;
import io.amoskys.response.admin.ResponseAdmin;
import io.amoskys.response.admin.Verification;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response guardrails as a service: opens the action queue, and for each
 * {@link ActionResponder} that appears registers a {@link Responder} of the same name, so that
 * routes reach it as {@code amoskys:responder/NAME} and every alert it gets passes the
 * guardrails of {@link ResponseEngine}. A configuration change restarts it; the queue, the
 * arming and the receipts are in the database and carry over. With an {@link AlertStore}
 * installed, alerts refused for now are offered again every {@value #RECONSIDER_EVERY_SECONDS} s
 * when they were raised again ({@link ResponseEngine#reconsider()}).
 */
@Component(service = {ResponseAdmin.class, MetricsSource.class}, configurationPid = ResponseComponent.PID, immediate = true)
@Designate(ocd = ResponseConfig.class)
public class ResponseComponent implements ResponseAdmin, MetricsSource {
    public static final String PID = "io.amoskys.response";
    private static final Logger LOG = LoggerFactory.getLogger(ResponseComponent.class);
    static final int RECONSIDER_EVERY_SECONDS = 5;

    private final BundleContext context;
    private final ActionStore store;
    private final ResponseEngine engine;
    private final ResponseMetrics metrics = new ResponseMetrics();
    private final Map<ActionResponder, ServiceRegistration<Responder>> registered = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor reconsidering;

    @Activate
    public ResponseComponent(ResponseConfig config, BundleContext context) throws SQLException, IOException {
        this.context = context;
        Guardrails guardrails = Guardrails.of(config);
        Path db = path(config.dbDir(), "karaf.data", "amoskys/response");
        Path key = path(config.receiptKey(), "karaf.etc", "amoskys/response/receipts.key");
        this.store = new ActionStore(db, receiptsExist -> ReceiptSigner.loadOrCreate(key, receiptsExist));
        this.engine = new ResponseEngine(store, guardrails, Clock.systemUTC(), metrics);
        this.reconsidering = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "amoskys-response-reconsider");
            t.setDaemon(true);
            return t;
        });
        reconsidering.scheduleWithFixedDelay(this::reconsider, RECONSIDER_EVERY_SECONDS, RECONSIDER_EVERY_SECONDS, TimeUnit.SECONDS);
        LOG.info("Response guardrails ready: queue {}, {} receipts signed by {} ({}), approval for {}", db,
                store.receiptCount(), store.keyId(), key,
                guardrails.approval().isEmpty() ? "none" : guardrails.approval());
    }

    private static Path path(String configured, String property, String below) {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        String base = System.getProperty(property);
        if (base == null) {
            throw new IllegalStateException(property + " is not set: configure " + PID + ".cfg");
        }
        return Path.of(base).resolve(below);
    }

    private void reconsider() {
        try {
            engine.reconsider();
        } catch (RuntimeException e) {
            // The next round tries again; an exception out of here would end the rounds.
            LOG.warn("Alerts refused for now could not be offered again: {}", e.toString());
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setAlerts(AlertStore alerts) {
        engine.alerts(alerts);
    }

    void unsetAlerts(AlertStore alerts) {
        engine.clearAlerts(alerts);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addResponder(ActionResponder responder, Map<String, Object> properties) {
        Object name = properties.get(PluginName.PROPERTY);
        if (!(name instanceof String n) || n.isBlank()) {
            LOG.warn("An action responder without the {} property is ignored: {}", PluginName.PROPERTY, responder);
            return;
        }
        synchronized (waiting) {
            List<Candidate> candidates = waiting.computeIfAbsent(n, k -> new ArrayList<>());
            candidates.add(new Candidate(responder, properties.get(Constants.SERVICE_RANKING)));
            if (candidates.size() > 1) {
                // Actions, arming and receipts are kept by name: two responders cannot share one.
                LOG.error("Two action responders are named {} ({} and {}): the second is not used until the first goes; "
                        + "give each configuration its own {}", n, candidates.get(0).responder(), responder, PluginName.PROPERTY);
                return;
            }
            guard(n, candidates.get(0));
        }
    }

    /** A responder that came under a name, in the order they came; the first one is used. */
    private record Candidate(ActionResponder responder, Object ranking) {}

    private final Map<String, List<Candidate>> waiting = new java.util.HashMap<>();

    /** Set at deactivation: responders unbound after it (DS unbinds after deactivate) guard no other. Guarded by waiting. */
    private boolean stopped;

    private void guard(String n, Candidate candidate) {
        if (stopped) {
            return;
        }
        engine.add(n, candidate.responder());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PluginName.PROPERTY, n);
        if (candidate.ranking() instanceof Integer) {
            props.put(Constants.SERVICE_RANKING, candidate.ranking());
        }
        registered.put(candidate.responder(), context.registerService(Responder.class, alert -> engine.submit(n, alert), props));
        LOG.info("Action responder {} is guarded: amoskys:responder/{}", n, n);
    }

    void removeResponder(ActionResponder responder, Map<String, Object> properties) {
        ServiceRegistration<Responder> registration = registered.remove(responder);
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        if (properties.get(PluginName.PROPERTY) instanceof String n) {
            engine.remove(n, responder);
            synchronized (waiting) {
                List<Candidate> candidates = waiting.getOrDefault(n, new ArrayList<>());
                boolean wasUsed = !candidates.isEmpty() && candidates.get(0).responder() == responder;
                candidates.removeIf(c -> c.responder() == responder);
                if (candidates.isEmpty()) {
                    waiting.remove(n);
                } else if (wasUsed) {
                    guard(n, candidates.get(0));
                }
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (waiting) {
            stopped = true;
        }
        registered.values().forEach(r -> {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        });
        registered.clear();
        // No interrupt: a round may be inside the action store, whose Derby connection an interrupt closes.
        reconsidering.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        reconsidering.shutdown();
        try {
            reconsidering.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close(!processEnds());
        store.close();
    }

    /**
     * Whether this stop ends the JVM, and any hung responder call with it: the framework stops, and
     * not for Karaf's restart in the same JVM ({@code shutdown -r} without {@code karaf.restart.jvm}).
     * Otherwise (a new configuration, a bundle update, such a restart) a hung call goes on running
     * beside the next service.
     */
    private boolean processEnds() {
        boolean frameworkStops = context.getBundle(0).getState() == Bundle.STOPPING;
        boolean restartsInThisJvm = Boolean.getBoolean("karaf.restart") && !Boolean.getBoolean("karaf.restart.jvm");
        return frameworkStops && !restartsInThisJvm;
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        metrics.write(out, engine, store.countsByState());
    }

    @Override
    public List<ActionDTO> actions(List<ActionState> states, int limit) {
        return engine.actions(states, limit);
    }

    @Override
    public Optional<ActionDTO> action(String id) {
        return engine.action(id);
    }

    @Override
    public List<ReceiptDTO> receipts(String actionId) {
        return engine.receipts(actionId);
    }

    @Override
    public List<ResponderDTO> responders() {
        return engine.responders();
    }

    @Override
    public ResponderDTO arm(String responder, String user) {
        return engine.arm(responder, user);
    }

    @Override
    public ResponderDTO disarm(String responder, String user) {
        return engine.disarm(responder, user);
    }

    @Override
    public ActionDTO approve(String actionId, String user) {
        return engine.approve(actionId, user);
    }

    @Override
    public ActionDTO reject(String actionId, String user) {
        return engine.reject(actionId, user);
    }

    @Override
    public ActionDTO undo(String actionId, String user) {
        return engine.undo(actionId, user);
    }

    @Override
    public boolean resetBreaker(String user) {
        return engine.resetBreaker(user);
    }

    @Override
    public String breaker() {
        return engine.breaker();
    }

    @Override
    public Verification verify() {
        return engine.verify();
    }
}
