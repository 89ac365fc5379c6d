package io.amoskys.stage.domain;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.feature.stats.DecayedMoments;
import io.amoskys.feature.stats.Hashes;
import io.amoskys.feature.stats.Window;

/**
 * Processes as an intrusion shows in them: bursts of new processes on a host, executables the host
 * has not run lately, programs run from world-writable or deleted files, root, and odd hours.
 * State per host (the process's {@code host} label), since spawning is a property of the host.
 */
final class ProcessDomain extends DomainKind<ProcessDomain.State> {
    private static final long DAY = 86_400_000_000_000L;

    private final WorkingSecond work;

    ProcessDomain(WorkingTime work) {
        super(EventKinds.PROCESS, "process", State::new);
        this.work = new WorkingSecond(work);
        define("spawn_rate_1m", "1/s", "1m", "Processes started per second on the process's host (time-decayed, 1m).");
        define("new_executable", "flag", "", "1 when the host has not run this executable (by SHA-256, else by path) "
                + "in the current or previous day (or since 500 other new ones); judged on the process's first event.");
        define("runs_from_temp", "flag", "", "1 when the executable lies under /tmp, /var/tmp or /dev/shm.");
        define("deleted_executable", "flag", "", "1 when the executable file was deleted while the process runs.");
        define("root_user", "flag", "", "1 when the process runs as uid 0.");
        define("off_hours", "flag", "", "1 outside the configured working hours and days (event time).");
    }

    static final class State {
        final DecayedMoments starts = new DecayedMoments(Window.M1.nanos());
        final RecentSet executables = new RecentSet(DAY);
    }

    @Override
    String stateKey(TelemetryEvent event, FeatureVector vector) {
        return event.labels().getOrDefault("host", vector.entityId());
    }

    @Override
    double[] compute(TelemetryEvent e, FeatureVector v, State s) {
        long t = e.timestampNanos();
        String lifecycle = e.labels().get("event");
        boolean started = "start".equals(lifecycle);
        s.starts.add(t, started ? 1 : 0);
        String exe = e.labels().getOrDefault("exe", "");
        String identity = e.labels().getOrDefault("exe_sha256", exe);
        boolean fresh = started && !identity.isEmpty() && s.executables.addIsNew(t, Hashes.of(identity));
        boolean temp = exe.startsWith("/tmp/") || exe.startsWith("/var/tmp/") || exe.startsWith("/dev/shm/");
        return new double[] {
            s.starts.sum(t) / Window.M1.seconds(), fresh ? 1 : 0, temp ? 1 : 0, exe.endsWith(" (deleted)") ? 1 : 0,
            "0".equals(e.labels().get("uid")) ? 1 : 0, work.at(t).offHours() ? 1 : 0
        };
    }
}
