package io.amoskys.agent.process;

import io.amoskys.agent.process.FdCounter.FdCounts;

/**
 * One process with what the agent found out about it beyond /proc/PID/stat. Strings are null
 * when unknown (another user's process without privileges, a kernel thread, an exited process).
 *
 * @param parents ancestor names nearest first, {@code bash>sshd>systemd}; "" when none is known
 */
record ProcessView(ProcessSample sample, FdCounts fds, String exe, String exeSha256, String user, String parents) {
    /** Only the stat numbers: what is kept while nobody listens. */
    static ProcessView bare(ProcessSample sample) {
        return new ProcessView(sample, FdCounts.UNKNOWN, null, null, null, null);
    }
}
