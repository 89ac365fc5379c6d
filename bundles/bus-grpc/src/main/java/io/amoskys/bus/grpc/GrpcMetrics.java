package io.amoskys.bus.grpc;

import io.amoskys.api.admin.MetricsSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the remote ingest endpoint counts, for {@code /metrics}. Thread-safe. */
public final class GrpcMetrics implements MetricsSource {
    /** Why a client was turned away before any envelope of it was read. */
    public enum Refusal {
        NO_CLIENT_CERTIFICATE("no-client-certificate"),
        UNTRUSTED_CLIENT_CERTIFICATE("untrusted-client-certificate"),
        /** Signed by the CA, but with no common name to take the agent's name from. */
        NO_AGENT_NAME("no-agent-name");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Why a stream was turned away: all places taken, or all of its agent's. */
    public enum Full {
        SERVER("server"),
        AGENT("agent");

        private final String label;

        Full(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final AtomicInteger streams = new AtomicInteger();
    /** Open streams per agent; an agent leaves the map with its last stream, so it holds at most maxStreams entries. */
    private final Map<String, Integer> streamsByAgent = new ConcurrentHashMap<>();
    private final Map<Full, LongAdder> turnedAway = new EnumMap<>(Full.class);
    private final LongAdder received = new LongAdder();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);

    public GrpcMetrics() {
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder());
        }
        for (Full f : Full.values()) {
            turnedAway.put(f, new LongAdder());
        }
    }

    /**
     * Counts a new stream of {@code agent} unless {@code max} streams are open already, or
     * {@code maxPerAgent} of that agent's.
     *
     * @return null when counted, else why not (counted as turned away)
     */
    Full tryOpenStream(String agent, int max, int maxPerAgent) {
        boolean[] agentFull = {false};
        streamsByAgent.compute(agent, (a, open) -> {
            int mine = open == null ? 0 : open;
            if (mine >= maxPerAgent) {
                agentFull[0] = true;
                return open;
            }
            return mine + 1;
        });
        Full full = agentFull[0] ? Full.AGENT : tryOpenAny(max) ? null : Full.SERVER;
        if (full == Full.SERVER) {
            release(agent);
        }
        if (full != null) {
            turnedAway.get(full).increment();
        }
        return full;
    }

    private boolean tryOpenAny(int max) {
        int now;
        do {
            now = streams.get();
            if (now >= max) {
                return false;
            }
        } while (!streams.compareAndSet(now, now + 1));
        return true;
    }

    void streamClosed(String agent) {
        streams.decrementAndGet();
        release(agent);
    }

    private void release(String agent) {
        streamsByAgent.computeIfPresent(agent, (a, open) -> open <= 1 ? null : open - 1);
    }

    /** Streams open now of one agent. */
    public int openStreams(String agent) {
        return streamsByAgent.getOrDefault(agent, 0);
    }

    public long turnedAway(Full reason) {
        return turnedAway.get(reason).sum();
    }

    void envelopeReceived() {
        received.increment();
    }

    void refused(Refusal reason) {
        refused.get(reason).increment();
    }

    public int openStreams() {
        return streams.get();
    }

    public long refusals(Refusal reason) {
        return refused.get(reason).sum();
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        out.append("# HELP amoskys_grpc_streams Publish streams open now\n")
                .append("# TYPE amoskys_grpc_streams gauge\n")
                .append("amoskys_grpc_streams ").append(streams.get()).append('\n');
        out.append("# HELP amoskys_grpc_envelopes_received_total Envelopes received from remote agents, before verification\n")
                .append("# TYPE amoskys_grpc_envelopes_received_total counter\n")
                .append("amoskys_grpc_envelopes_received_total ").append(received.sum()).append('\n');
        out.append("# HELP amoskys_grpc_refused_connections_total Clients refused for their certificate, by reason\n")
                .append("# TYPE amoskys_grpc_refused_connections_total counter\n");
        refused.forEach((reason, count) -> out.append("amoskys_grpc_refused_connections_total{reason=\"")
                .append(reason.label()).append("\"} ").append(count.sum()).append('\n'));
        out.append("# HELP amoskys_grpc_streams_turned_away_total Publish streams refused because every place was taken, "
                        + "in all (server) or of their agent (agent)\n")
                .append("# TYPE amoskys_grpc_streams_turned_away_total counter\n");
        turnedAway.forEach((full, count) -> out.append("amoskys_grpc_streams_turned_away_total{full=\"")
                .append(full.label()).append("\"} ").append(count.sum()).append('\n'));
    }
}
