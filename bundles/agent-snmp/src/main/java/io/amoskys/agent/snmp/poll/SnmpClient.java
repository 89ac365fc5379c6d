package io.amoskys.agent.snmp.poll;

import io.amoskys.agent.snmp.DeviceSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.snmp4j.util.DefaultPDUFactory;
import org.snmp4j.util.RetrievalEvent;
import org.snmp4j.util.TableEvent;
import org.snmp4j.util.TableListener;
import org.snmp4j.util.TableUtils;

/**
 * One SNMP4J session for polling many devices: one UDP socket, asynchronous requests, and a USM
 * of its own.
 *
 * <p>Why SNMP4J directly and not Camel's {@code snmp:} endpoints: camel-snmp 4.14 registers every
 * v3 user in SNMP4J's JVM-wide {@code SecurityModels} singleton (devices and bundles overwrite
 * each other's USM), knows only MD5 and SHA-1 for authentication (no SHA-2), polls with GET or
 * GETNEXT only (no GETBULK table walks), and logs failed polls instead of reporting them, so a
 * timeout, a wrong v3 password and a malformed answer could not be told apart or counted per
 * device. Camel's component stays available to routes from the same bundle that gives us SNMP4J.
 *
 * <p>Thread-safe. Answers complete the futures on SNMP4J's receiving thread: callers must move
 * any real work elsewhere.
 */
public final class SnmpClient implements AutoCloseable {
    private final Snmp snmp;
    private final USM usm;
    private final DroppedMessages dropped = new DroppedMessages();
    /** Each v3 user (name, engine ID or "") with how many devices use it: removed from the USM with the last. */
    private final Map<List<String>, UserUse> userUses = new HashMap<>();

    private record UserUse(DeviceSettings.V3 v3, int uses) {}

    /** Opens the session on {@code listenOn} (port 0: any free port). */
    public SnmpClient(UdpAddress listenOn) throws IOException {
        UsmProtocols protocols = new UsmProtocols();
        CounterSupport counters = new CounterSupport();
        counters.addCounterListener(dropped);
        byte[] localEngineId = MPv3.createLocalEngineID();
        usm = new USM(protocols.table(), new OctetString(localEngineId), 0, counters);
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        ObservingDispatcher dispatcher = new ObservingDispatcher(dropped);
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(localEngineId, new DefaultPDUFactory(), protocols.table(), models, counters));
        dispatcher.addCommandResponder(dropped); // before SNMP4J's own: it sees the reports SNMP4J ignores
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(listenOn);
        transport.setReceiveBufferSize(1 << 20);
        snmp = new Snmp(dispatcher, transport);
        snmp.listen();
    }

    /** The request target for a device at {@code address}. */
    public Target<UdpAddress> target(DeviceSettings s, UdpAddress address) {
        Target<UdpAddress> target;
        if (s.version() == DeviceSettings.Version.V2C) {
            CommunityTarget<UdpAddress> t = new CommunityTarget<>(address, new OctetString(s.community()));
            t.setVersion(SnmpConstants.version2c);
            target = t;
        } else {
            DeviceSettings.V3 v3 = s.v3();
            UserTarget<UdpAddress> t = new UserTarget<>();
            t.setAddress(address);
            t.setVersion(SnmpConstants.version3);
            t.setSecurityName(new OctetString(v3.user()));
            t.setSecurityLevel(v3.encrypts() ? SecurityLevel.AUTH_PRIV : v3.authenticates() ? SecurityLevel.AUTH_NOPRIV : SecurityLevel.NOAUTH_NOPRIV);
            if (v3.engineId() != null) {
                t.setAuthoritativeEngineID(OctetString.fromHexStringPairs(v3.engineId()).getValue());
            }
            target = t;
        }
        target.setTimeout(s.timeout().toMillis());
        target.setRetries(s.retries());
        return target;
    }

    /** Makes a device's v3 user known; users shared by several devices are counted. */
    public synchronized void addUser(DeviceSettings.V3 v3) {
        List<String> key = List.of(v3.user(), v3.engineId() == null ? "" : v3.engineId());
        UserUse known = userUses.get(key);
        userUses.put(key, new UserUse(v3, known == null ? 1 : known.uses() + 1));
        if (known == null) {
            register(v3);
        } else if (!known.v3().equals(v3)) {
            registerAgain(v3.user()); // the newest credentials, also where they were localised to an engine
        }
    }

    /** Every entry of the user name out of the USM (with its copies localised to engines), then each device's back in. */
    private void registerAgain(String user) {
        usm.removeAllUsers(new OctetString(user));
        userUses.values().stream().filter(u -> u.v3().user().equals(user)).forEach(u -> register(u.v3()));
    }

    private void register(DeviceSettings.V3 v3) {
        UsmUser user = new UsmUser(new OctetString(v3.user()),
                v3.authenticates() ? UsmProtocols.authOid(v3.authProtocol()) : null,
                v3.authenticates() ? new OctetString(v3.authPassword()) : null,
                v3.encrypts() ? UsmProtocols.privOid(v3.privProtocol()) : null,
                v3.encrypts() ? new OctetString(v3.privPassword()) : null);
        if (v3.engineId() == null) {
            usm.addUser(new OctetString(v3.user()), user); // localised to each engine as it is discovered
        } else {
            usm.addUser(new OctetString(v3.user()), OctetString.fromHexStringPairs(v3.engineId()), user);
        }
    }

    public synchronized void removeUser(DeviceSettings.V3 v3) {
        List<String> key = List.of(v3.user(), v3.engineId() == null ? "" : v3.engineId());
        UserUse known = userUses.get(key);
        if (known == null) {
            return;
        }
        if (known.uses() > 1) {
            userUses.put(key, new UserUse(known.v3(), known.uses() - 1));
            return;
        }
        userUses.remove(key);
        // Another device's user of the same name (with or without an engine ID) stays known.
        registerAgain(v3.user());
    }

    /** Whether the USM has the user for the engine (hex pairs), as a poll would look it up. */
    synchronized boolean knowsUser(String user, String engineId) {
        return authKey(user, engineId) != null;
    }

    /** The authentication key the USM holds for the user at the engine (hex pairs), as text; null if none. */
    synchronized String authKey(String user, String engineId) {
        var entry = usm.getUserTable().getUser(OctetString.fromHexStringPairs(engineId), new OctetString(user));
        return entry == null ? null : String.valueOf(entry.getUsmUser().getAuthenticationPassphrase());
    }

    /** One answer and how long it took. */
    public record Reply(PDU pdu, long latencyNanos, long receivedNanos) {}

    /** Sends one request; the future fails with a {@link PollFailure} that says why. */
    public CompletableFuture<Reply> send(PDU request, Target<UdpAddress> target) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        long start = System.nanoTime();
        ResponseListener listener = new ResponseListener() {
            @Override
            public <A extends Address> void onResponse(ResponseEvent<A> event) {
                snmp.cancel(event.getRequest(), this); // SNMP4J keeps the request otherwise
                long now = System.nanoTime();
                PDU response = event.getResponse();
                if (event.getError() != null) {
                    result.completeExceptionally(new PollFailure(ErrorReason.SEND, "request failed: " + event.getError().getMessage()));
                } else if (response == null) {
                    result.completeExceptionally(timeout(target, start));
                } else if (response.getType() == PDU.REPORT) {
                    result.completeExceptionally(Reports.failure(response, target));
                } else if (response.getErrorStatus() != PDU.noError) {
                    result.completeExceptionally(errorStatus(response, request));
                } else {
                    result.complete(new Reply(response, now - start, now));
                }
            }
        };
        try {
            snmp.send(request, target, null, listener);
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(new PollFailure(ErrorReason.SEND, "cannot send to " + target.getAddress() + ": " + e.getMessage()));
        }
        return result;
    }

    /** A table: its rows by index, and whether the row limit cut it short. */
    public record Table(List<TableEvent> rows, boolean truncated) {}

    /**
     * Walks the columns of a table (with GETBULK, or GETNEXT when {@code bulk} is false), up to
     * {@code maxRows} rows.
     */
    public CompletableFuture<Table> walk(Target<UdpAddress> target, OID[] columns, boolean bulk, int maxRepetitions, int maxRows) {
        CompletableFuture<Table> result = new CompletableFuture<>();
        long start = System.nanoTime();
        TableUtils tables = new TableUtils(snmp, new DefaultPDUFactory(bulk ? PDU.GETBULK : PDU.GETNEXT));
        tables.setMaxNumRowsPerPDU(maxRepetitions);
        tables.setMaxNumColumnsPerPDU(Math.min(columns.length, 12));
        tables.setRowLimit(maxRows);
        List<TableEvent> rows = new ArrayList<>();
        TableListener listener = new TableListener() {
            private volatile boolean finished;

            @Override
            public boolean next(TableEvent event) {
                if (event.isError()) {
                    return false;
                }
                rows.add(event);
                return true;
            }

            @Override
            public void finished(TableEvent event) {
                finished = true;
                int status = event.getStatus();
                if (status == RetrievalEvent.STATUS_OK || status == RetrievalEvent.STATUS_ROW_LIMIT_REACHED) {
                    result.complete(new Table(rows, status == RetrievalEvent.STATUS_ROW_LIMIT_REACHED));
                } else {
                    result.completeExceptionally(walkFailure(event, target, start));
                }
            }

            @Override
            public boolean isFinished() {
                return finished;
            }
        };
        try {
            tables.getTable(target, columns, listener, null, null, null);
        } catch (RuntimeException e) {
            result.completeExceptionally(new PollFailure(ErrorReason.SEND, "cannot walk " + target.getAddress() + ": " + e));
        }
        return result;
    }

    private PollFailure walkFailure(TableEvent event, Target<UdpAddress> target, long start) {
        int status = event.getStatus();
        if (status == RetrievalEvent.STATUS_TIMEOUT) {
            return timeout(target, start);
        }
        if (status == RetrievalEvent.STATUS_REPORT && event.getReportPDU() != null) {
            return Reports.failure(event.getReportPDU(), target);
        }
        if (status == RetrievalEvent.STATUS_WRONG_ORDER) {
            return new PollFailure(ErrorReason.MALFORMED, "malformed response: the device returned table rows out of order");
        }
        if (status > 0) {
            return new PollFailure(ErrorReason.ERROR_STATUS, "the device answered the table walk with " + PDU.toErrorStatusText(status));
        }
        Exception e = event.getException();
        return new PollFailure(ErrorReason.SEND, "table walk failed: " + (e != null ? e.getMessage() : event.getErrorMessage()));
    }

    /** A timeout, or what really happened when SNMP4J dropped the answer. */
    private PollFailure timeout(Target<UdpAddress> target, long since) {
        DroppedMessages.Drop drop = dropped.since(target.getAddress(), since);
        if (drop != null) {
            return new PollFailure(drop.reason(), drop.message());
        }
        String hint = target instanceof CommunityTarget ? "down, unreachable, or wrong community"
                : "down, unreachable, or wrong v3 privacy password/protocol";
        return new PollFailure(ErrorReason.TIMEOUT, "timeout: no answer from " + target.getAddress() + " after "
                + (target.getRetries() + 1) + " tries of " + target.getTimeout() + " ms (" + hint + ")");
    }

    private static PollFailure errorStatus(PDU response, PDU request) {
        int index = response.getErrorIndex();
        String where = "";
        if (index > 0 && index <= request.size()) {
            VariableBinding vb = request.get(index - 1);
            where = " at " + vb.getOid();
        }
        return new PollFailure(ErrorReason.ERROR_STATUS, "the device answered " + response.getErrorStatusText() + where);
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}
