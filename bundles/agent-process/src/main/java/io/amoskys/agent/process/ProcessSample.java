package io.amoskys.agent.process;

/**
 * One process as /proc shows it at one moment.
 *
 * @param cpuTicks user plus system CPU time in clock ticks
 * @param startTicks when the process started, in clock ticks since boot (pid + start identify a
 *     process even when pids are reused)
 */
record ProcessSample(
        int pid, int ppid, String name, char state, long cpuTicks, int threads, long startTicks,
        long virtualBytes, long residentBytes, int uid) {}
