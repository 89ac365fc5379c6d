package io.amoskys.alerts.internal;

import io.amoskys.api.alert.Admission;
import io.amoskys.api.alert.AlertTransition;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The child JVM of {@link KillTest}: opens the store, admits alerts (printing each id once
 * {@code admit} returned), acknowledges the first, then waits to be killed.
 */
public final class KilledWriter {
    private KilledWriter() {}

    public static void main(String[] args) throws Exception {
        DerbyAlertStore store = new DerbyAlertStore(Path.of(args[0]), StoreSettings.defaults(), Clock.systemUTC());
        int n = Integer.parseInt(args[1]);
        String first = null;
        for (int i = 0; i < n; i++) {
            Admission a = store.admit(Alerts.alert("kill-test", "host-" + i, Alerts.T0 + i));
            if (first == null) {
                first = a.alertId();
            }
            System.out.println("NEW " + a.alertId());
            System.out.flush();
        }
        AlertTransition ack = new AlertTransition();
        ack.alertId = first;
        ack.state = "acknowledged";
        ack.user = "otto";
        store.transition(ack);
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
