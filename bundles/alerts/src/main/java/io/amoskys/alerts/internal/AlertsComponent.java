package io.amoskys.alerts.internal;

import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.alert.Admission;
import io.amoskys.api.alert.AlertDTO;
import io.amoskys.api.alert.AlertQuery;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.alert.AlertTransition;
import io.amoskys.api.alert.SuppressionDTO;
import io.amoskys.api.event.Alert;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert store service: {@link DerbyAlertStore} in {@code ${karaf.data}/amoskys/alerts}, with
 * retention on a scheduled thread of its own, and its metrics. A configuration change restarts it.
 */
@Component(service = {AlertStore.class, MetricsSource.class}, configurationPid = AlertsComponent.PID, immediate = true)
@Designate(ocd = AlertsConfig.class)
public class AlertsComponent implements AlertStore, MetricsSource {
    public static final String PID = "io.amoskys.alerts";
    private static final Logger LOG = LoggerFactory.getLogger(AlertsComponent.class);

    private final DerbyAlertStore store;
    private final ScheduledExecutorService retention;

    @Activate
    public AlertsComponent(AlertsConfig config) throws SQLException {
        Path dir = dir(config.dbDir());
        this.store = new DerbyAlertStore(dir, StoreSettings.of(config), Clock.systemUTC());
        long open;
        try {
            open = store.count(openQuery());
        } catch (RuntimeException e) {
            store.close(); // DS never deactivates a component whose activation failed: its writer thread would stay
            throw e;
        }
        this.retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amoskys-alerts-retention");
            t.setDaemon(true);
            return t;
        });
        int days = config.retentionDays();
        if (days > 0) {
            long every = Math.max(1, config.retentionEveryMinutes());
            retention.scheduleWithFixedDelay(() -> retain(days), 1, every, TimeUnit.MINUTES);
        }
        LOG.info("Alert store ready: {} ({} open alerts), grouping window {} s, retention {}", dir,
                open, config.groupWindowSeconds(), days > 0 ? days + " days" : "off");
    }

    private static AlertQuery openQuery() {
        AlertQuery q = new AlertQuery();
        q.states = List.of("open");
        return q;
    }

    private void retain(int days) {
        try {
            int removed = store.retain(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(days));
            if (removed > 0) {
                LOG.info("Alert retention removed {} alerts closed more than {} days ago", removed, days);
            }
        } catch (RuntimeException e) {
            LOG.warn("Alert retention failed; it runs again later", e);
        }
    }

    static Path dir(String configured) {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        String base = System.getProperty("karaf.data");
        if (base == null) {
            throw new IllegalStateException("karaf.data is not set: configure dbDir in " + PID + ".cfg");
        }
        return Path.of(base, "amoskys", "alerts");
    }

    @Deactivate
    void deactivate() {
        retention.shutdownNow();
        try {
            retention.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    @Override
    public Admission admit(Alert alert) {
        return store.admit(alert);
    }

    @Override
    public List<AlertDTO> list(AlertQuery query) {
        return store.list(query);
    }

    @Override
    public long count(AlertQuery query) {
        return store.count(query);
    }

    @Override
    public Optional<AlertDTO> get(String id) {
        return store.get(id);
    }

    @Override
    public AlertDTO transition(AlertTransition transition) {
        return store.transition(transition);
    }

    @Override
    public SuppressionDTO suppress(SuppressionDTO suppression) {
        return store.suppress(suppression);
    }

    @Override
    public List<SuppressionDTO> suppressions(boolean all) {
        return store.suppressions(all);
    }

    @Override
    public Optional<SuppressionDTO> suppression(String id) {
        return store.suppression(id);
    }

    @Override
    public SuppressionDTO unsuppress(String id, String user) {
        return store.unsuppress(id, user);
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        store.writePrometheus(out);
    }
}
