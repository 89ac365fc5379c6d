package io.amoskys.bus.grpc;

import io.amoskys.api.admin.MetricsSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the remote ingest endpoint counts, for {@code /metrics}. Thread-safe. */
public final class GrpcMetrics implements MetricsSource {
    /** Why a client was turned away before any envelope of it was read. */
    public enum Refusal {
        NO_CLIENT_CERTIFICATE("no-client-certificate"),
        UNTRUSTED_CLIENT_CERTIFICATE("untrusted-client-certificate");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final AtomicInteger streams = new AtomicInteger();
    private final LongAdder received = new LongAdder();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);

    public GrpcMetrics() {
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder());
        }
    }

    /** Counts a new stream unless {@code max} are open already. */
    boolean tryOpenStream(int max) {
        int now;
        do {
            now = streams.get();
            if (now >= max) {
                return false;
            }
        } while (!streams.compareAndSet(now, now + 1));
        return true;
    }

    void streamClosed() {
        streams.decrementAndGet();
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
    }
}
