package io.amoskys.agent.snmp.poll;

import io.amoskys.agent.snmp.DeviceSettings;
import io.amoskys.agent.snmp.profile.Profile;
import io.amoskys.agent.snmp.profile.ProfileCatalog;
import io.amoskys.agent.snmp.profile.TableSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.snmp4j.PDU;
import org.snmp4j.Target;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.util.DefaultPDUFactory;

/**
 * One poll of one device: a GET of sysUpTime and the profiles' scalars (in requests of at most
 * {@value #MAX_VARBINDS_PER_GET} objects), then the profiles' tables walked in parallel with
 * GETBULK. A device that answers GETBULK with an error is walked with GETNEXT from then on.
 * Non-blocking: the returned future completes on SNMP4J's thread.
 */
public final class DevicePoller {
    static final int MAX_VARBINDS_PER_GET = 20;

    private final SnmpClient client;

    public DevicePoller(SnmpClient client) {
        this.client = client;
    }

    /**
     * Polls; fails with a {@link PollFailure} when the device gave no usable answer to the first
     * request. Later failures (a table that timed out) are in the result's {@code failures}.
     *
     * @param bulk whether GETBULK still works for this device; cleared when it does not
     */
    public CompletableFuture<PollData> poll(Target<UdpAddress> target, DeviceSettings settings, List<Profile> profiles,
            AtomicBoolean bulk) {
        List<List<OID>> chunks = chunks(scalarOids(profiles));
        return get(target, chunks.get(0)).thenCompose(first -> {
            Map<OID, Variable> scalars = Collections.synchronizedMap(new HashMap<>(first.answers));
            List<PollFailure> failures = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<?>> rest = new ArrayList<>();
            for (List<OID> chunk : chunks.subList(1, chunks.size())) {
                rest.add(get(target, chunk).handle((r, e) -> {
                    if (e != null) {
                        failures.add(PollFailure.of(e));
                    } else {
                        scalars.putAll(r.answers);
                    }
                    return null;
                }));
            }
            Map<String, PollData.WalkedTable> tables = new java.util.concurrent.ConcurrentHashMap<>();
            for (Profile p : profiles) {
                for (TableSpec t : p.tables()) {
                    OID[] columns = t.columnOids();
                    rest.add(walk(target, columns, settings, bulk).handle((table, e) -> {
                        if (e != null) {
                            failures.add(PollFailure.of(e));
                        } else {
                            tables.put(t.name(), new PollData.WalkedTable(columns, table, System.nanoTime()));
                        }
                        return null;
                    }));
                }
            }
            return CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).thenApply(done ->
                    new PollData(first.reply.receivedNanos(), first.reply.latencyNanos(), Map.copyOf(scalars), Map.copyOf(tables),
                            List.copyOf(failures)));
        });
    }

    private CompletableFuture<SnmpClient.Table> walk(Target<UdpAddress> target, OID[] columns, DeviceSettings s, AtomicBoolean bulk) {
        if (!bulk.get()) {
            return client.walk(target, columns, false, s.maxRepetitions(), s.maxRows());
        }
        return client.walk(target, columns, true, s.maxRepetitions(), s.maxRows())
                .exceptionallyCompose(e -> {
                    PollFailure f = PollFailure.of(e);
                    if (f.reason() != ErrorReason.ERROR_STATUS) {
                        return CompletableFuture.failedFuture(f);
                    }
                    bulk.set(false); // the device refuses GETBULK: walk the slow way from now on
                    return client.walk(target, columns, false, s.maxRepetitions(), s.maxRows());
                });
    }

    /** A GET's answers by OID, checked against what was asked. */
    private record Answers(SnmpClient.Reply reply, Map<OID, Variable> answers) {}

    private CompletableFuture<Answers> get(Target<UdpAddress> target, List<OID> oids) {
        PDU pdu = DefaultPDUFactory.createPDU(target, PDU.GET);
        oids.forEach(oid -> pdu.add(new VariableBinding(oid)));
        return client.send(pdu, target).thenApply(reply -> new Answers(reply, answers(oids, reply.pdu())));
    }

    static Map<OID, Variable> answers(List<OID> asked, PDU response) {
        if (response.size() != asked.size()) {
            throw new PollFailure(ErrorReason.MALFORMED, "malformed response: asked for " + asked.size() + " objects, got " + response.size());
        }
        Map<OID, Variable> answers = new HashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            VariableBinding vb = response.get(i);
            if (!asked.get(i).equals(vb.getOid())) {
                throw new PollFailure(ErrorReason.MALFORMED, "malformed response: answer " + (i + 1) + " is for " + vb.getOid()
                        + ", asked for " + asked.get(i));
            }
            answers.put(vb.getOid(), vb.getVariable());
        }
        return answers;
    }

    /** sysUpTime first, then every scalar source of the profiles, each once. */
    static List<OID> scalarOids(List<Profile> profiles) {
        Set<OID> oids = new LinkedHashSet<>();
        oids.add(ProfileCatalog.SYS_UPTIME);
        profiles.forEach(p -> p.scalars().forEach(m -> m.sources().forEach(s -> oids.add(s.oid()))));
        return List.copyOf(oids);
    }

    private static List<List<OID>> chunks(List<OID> oids) {
        List<List<OID>> chunks = new ArrayList<>();
        for (int i = 0; i < oids.size(); i += MAX_VARBINDS_PER_GET) {
            chunks.add(oids.subList(i, Math.min(oids.size(), i + MAX_VARBINDS_PER_GET)));
        }
        return chunks;
    }
}
