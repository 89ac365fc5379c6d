package io.amoskys.agent.process;

import java.util.Map;

/** The names of a process's ancestors, nearest first: {@code bash>sshd>systemd}. */
final class ParentChain {
    static final int DEPTH = 4;

    private ParentChain() {}

    /** Up to {@link #DEPTH} ancestors found in {@code byPid}; "" when the parent is unknown. */
    static String of(ProcessSample p, Map<Integer, ProcessSample> byPid) {
        StringBuilder chain = new StringBuilder();
        int ppid = p.ppid();
        for (int depth = 0; depth < DEPTH && ppid > 0 && ppid != p.pid(); depth++) {
            ProcessSample parent = byPid.get(ppid);
            if (parent == null) {
                break;
            }
            if (chain.length() > 0) {
                chain.append('>');
            }
            chain.append(parent.name());
            ppid = parent.ppid();
        }
        return chain.toString();
    }
}
