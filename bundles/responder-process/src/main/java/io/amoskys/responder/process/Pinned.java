package io.amoskys.responder.process;

import io.amoskys.api.response.Action;
import java.io.IOException;
import java.util.Optional;

/** The process an action was planned for: pid and executable hash (its target), start time (a parameter). */
record Pinned(int pid, String sha256, long startTicks) {
    /** @throws IllegalArgumentException when the action does not say which process */
    static Pinned of(Action action) {
        String target = action.request().target().value();
        int colon = target.indexOf(':');
        String ticks = action.request().parameters().get("startTicks");
        try {
            if (colon < 0 || ticks == null) {
                throw new NumberFormatException();
            }
            int pid = Integer.parseInt(target.substring(0, colon));
            if (pid <= 1) {
                throw new IllegalArgumentException("process " + pid + " is init or no process: never acted on");
            }
            return new Pinned(pid, target.substring(colon + 1), Long.parseLong(ticks));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the action names no process as PID:SHA256 with its startTicks (target "
                    + target + ")", e);
        }
    }

    /** Whether the planned process has ended: nothing under its pid, a zombie, or another process since. */
    boolean gone() throws IOException {
        Optional<ProcEntry> now = ProcEntry.read(pid);
        return now.isEmpty() || now.get().exited() || now.get().startTicks() != startTicks;
    }

    /** Why the process now under this pid is not the planned one, or empty when it is. */
    Optional<String> strangerIn(ProcEntry now) throws IOException {
        if (now.startTicks() != startTicks) {
            return Optional.of("pid " + pid + " now belongs to a process started at tick " + now.startTicks()
                    + ", not the planned one started at tick " + startTicks);
        }
        String hash = now.executableSha256();
        if (!hash.equals(sha256)) {
            return Optional.of("process " + pid + " now runs " + now.executable() + " with sha256 " + hash
                    + ", not the planned executable's " + sha256);
        }
        return Optional.empty();
    }
}
