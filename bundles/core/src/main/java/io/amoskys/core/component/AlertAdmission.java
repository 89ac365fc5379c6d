package io.amoskys.core.component;

import io.amoskys.api.alert.Admission;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.event.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every alert a rule step raises passes the alert store (docs/ALERTS.md) before the route goes
 * on: a new one reaches the responders, and so does one that raised the severity of the open
 * alert it was grouped into (the junction's escalation from medium to critical must be heard);
 * one grouped without escalation, or suppressed by an operator, stops there. Without a store installed, alerts pass as they are. When the store
 * fails, the alert passes too (and the failure is logged, at most once a minute, and counted):
 * an alert seen twice is better than one never seen.
 */
public final class AlertAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(AlertAdmission.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private volatile AlertStore store;
    private final LongAdder failures = new LongAdder();
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);

    public void set(AlertStore store) {
        this.store = store;
    }

    /** Forgets {@code gone} if it is the current store (a newer one may already have replaced it). */
    public void clear(AlertStore gone) {
        if (store == gone) {
            store = null;
        }
    }

    /** @return the alerts that go on to the responders, in their order */
    List<Alert> admit(List<Alert> alerts) {
        AlertStore current = store;
        if (current == null || alerts.isEmpty()) {
            return alerts;
        }
        List<Alert> onward = new ArrayList<>(alerts.size());
        for (Alert alert : alerts) {
            try {
                Admission admission = current.admit(alert);
                if (admission.passesOn() || admission.escalated()) {
                    onward.add(alert);
                }
            } catch (RuntimeException e) {
                failures.increment();
                onward.add(alert);
                long now = System.nanoTime();
                long last = lastLogged.get();
                if ((last == Long.MIN_VALUE || now - last >= LOG_EVERY_NANOS) && lastLogged.compareAndSet(last, now)) {
                    LOG.warn("The alert store could not admit alert {} of rule {} ({}); alerts go on to the responders "
                            + "unstored until it recovers ({} failures so far)", alert.id(), alert.rule(), e.toString(), failures.sum());
                }
            }
        }
        return onward;
    }

    /** Alerts passed on because the store failed. */
    public long failures() {
        return failures.sum();
    }
}
