package io.amoskys.agent.snmp.trap;

import io.amoskys.agent.snmp.event.EventFactory;
import io.amoskys.agent.snmp.poll.UsmProtocols;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.CounterEvent;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.snmp4j.util.DefaultPDUFactory;

/**
 * Receives SNMPv2c and SNMPv3 traps and informs on one UDP port, acknowledges informs, and hands
 * every accepted notification on. v2c notifications must carry one of the configured communities;
 * v3 ones must authenticate as the configured user (SNMP4J's USM checks digest and decrypts).
 * Everything else is rejected and counted by reason. SNMPv1 traps are not accepted.
 *
 * <p>SNMP4J directly, not Camel's trap consumer: that one has no USM of its own for v3 and
 * cannot tell rejected notifications apart.
 */
public final class TrapReceiver implements CommandResponder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrapReceiver.class);

    private final TrapSettings settings;
    private final Consumer<Notification> sink;
    private final TrapCounters counters;
    private final Snmp snmp;
    private final DefaultUdpTransportMapping transport;

    public TrapReceiver(TrapSettings settings, Consumer<Notification> sink, TrapCounters counters) throws IOException {
        this.settings = settings;
        this.sink = sink;
        this.counters = counters;
        UsmProtocols protocols = new UsmProtocols();
        CounterSupport usmCounters = new CounterSupport();
        usmCounters.addCounterListener(this::usmCounter);
        byte[] engineId = MPv3.createLocalEngineID(new OctetString("amoskys-traps"));
        USM usm = new USM(protocols.table(), new OctetString(engineId), 0, usmCounters);
        if (settings.v3() != null) {
            var v3 = settings.v3();
            // Not localised: SNMP4J localises it to each sender's engine (traps) and to ours (informs).
            usm.addUser(new UsmUser(new OctetString(v3.user()),
                    v3.authenticates() ? UsmProtocols.authOid(v3.authProtocol()) : null,
                    v3.authenticates() ? new OctetString(v3.authPassword()) : null,
                    v3.encrypts() ? UsmProtocols.privOid(v3.privProtocol()) : null,
                    v3.encrypts() ? new OctetString(v3.privPassword()) : null,
                    UsmUser.LocalizationGrant.any));
        }
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addCounterListener(this::dispatcherCounter);
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(engineId, new DefaultPDUFactory(), protocols.table(), models, usmCounters));
        transport = new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getByName(settings.address()), settings.port()), true);
        snmp = new Snmp(dispatcher, transport);
        snmp.addCommandResponder(this);
        snmp.listen();
    }

    /** The port it listens on (the configured one, or the one the system chose for port 0). */
    public int port() {
        return transport.getListenAddress().getPort();
    }

    @Override
    public void processPdu(CommandResponderEvent event) {
        PDU pdu = event.getPDU();
        if (pdu == null) {
            counters.rejected("malformed");
            return;
        }
        if (pdu.getType() != PDU.TRAP && pdu.getType() != PDU.INFORM) {
            counters.rejected("not-a-notification");
            return;
        }
        String version;
        String user = null;
        if (event.getMessageProcessingModel() == MPv2c.ID) {
            version = "2c";
            String community = new String(event.getSecurityName(), StandardCharsets.ISO_8859_1);
            if (!settings.communities().contains(community)) {
                counters.rejected("bad-community");
                LOG.debug("Trap from {} with an unknown community rejected", event.getPeerAddress());
                return;
            }
        } else if (event.getMessageProcessingModel() == MPv3.ID && settings.v3() != null) {
            version = "3";
            user = new String(event.getSecurityName(), StandardCharsets.UTF_8);
            // snmp4j's USM lets a message in below the user's own level (noAuthNoPriv for a user
            // with keys): anyone could send such a trap in the user's name.
            if (event.getSecurityLevel() < requiredLevel(settings.v3())) {
                counters.rejected("security-level");
                LOG.debug("v3 trap from {} below the configured security level rejected", event.getPeerAddress());
                return;
            }
        } else {
            counters.rejected("version");
            return;
        }
        String kind = pdu.getType() == PDU.INFORM ? "inform" : "trap";
        event.setProcessed(true);
        Notification notification;
        try {
            notification = notification(event, pdu, kind, version, user);
        } catch (RuntimeException e) {
            // Counted and named here (SNMP4J's dispatcher would only log it), and an inform is not
            // acknowledged: its sender must not believe it delivered.
            counters.rejected("malformed");
            LOG.warn("{} from {} could not be read and was dropped: {}", kind, event.getPeerAddress(), e.toString());
            return;
        }
        if (pdu.getType() == PDU.INFORM) {
            acknowledge(event, pdu);
        }
        counters.received(version, kind);
        sink.accept(notification);
    }

    private static int requiredLevel(io.amoskys.agent.snmp.DeviceSettings.V3 v3) {
        return v3.encrypts() ? org.snmp4j.security.SecurityLevel.AUTH_PRIV
                : v3.authenticates() ? org.snmp4j.security.SecurityLevel.AUTH_NOPRIV : org.snmp4j.security.SecurityLevel.NOAUTH_NOPRIV;
    }

    private Notification notification(CommandResponderEvent<?> event, PDU pdu, String kind, String version, String user) {
        String trapOid = null;
        long uptime = -1;
        List<VariableBinding> rest = new ArrayList<>();
        int dropped = 0;
        for (VariableBinding vb : pdu.getVariableBindings()) {
            OID oid = vb.getOid();
            if (oid.equals(SnmpConstants.snmpTrapOID) && vb.getVariable() instanceof OID value) {
                trapOid = value.toDottedString();
            } else if (oid.equals(SnmpConstants.sysUpTime) && vb.getVariable() instanceof TimeTicks ticks) {
                uptime = ticks.getValue(); // any other type is a varbind like the rest, not an uptime
            } else if (rest.size() < settings.maxVarbinds()) {
                rest.add(vb);
            } else {
                dropped++;
            }
        }
        InetAddress source = event.getPeerAddress() instanceof IpAddress ip ? ip.getInetAddress() : InetAddress.getLoopbackAddress();
        int port = event.getPeerAddress() instanceof UdpAddress udp ? udp.getPort() : 0;
        return new Notification(source, port, kind, version, user, trapOid, uptime, rest, dropped, EventFactory.nowNanos());
    }

    private void acknowledge(CommandResponderEvent<?> event, PDU inform) {
        PDU response = (PDU) inform.clone();
        response.setType(PDU.RESPONSE);
        response.setErrorStatus(PDU.noError);
        response.setErrorIndex(0);
        try {
            event.getMessageDispatcher().returnResponsePdu(event.getMessageProcessingModel(), event.getSecurityModel(),
                    event.getSecurityName(), event.getSecurityLevel(), response, event.getMaxSizeResponsePDU(),
                    event.getStateReference(), new StatusInformation());
        } catch (MessageException e) {
            LOG.warn("Could not acknowledge an inform from {}: {}", event.getPeerAddress(), e.getMessage());
        }
    }

    /** USM drops what it cannot authenticate or decrypt: count why. */
    private void usmCounter(CounterEvent e) {
        OID oid = e.getOid();
        if (oid.startsWith(SnmpConstants.usmStatsWrongDigests)) {
            counters.rejected("authentication");
        } else if (oid.startsWith(SnmpConstants.usmStatsUnknownUserNames)) {
            counters.rejected("unknown-user");
        } else if (oid.startsWith(SnmpConstants.usmStatsDecryptionErrors)) {
            counters.rejected("privacy");
        } else if (oid.startsWith(SnmpConstants.usmStatsUnsupportedSecLevels)) {
            counters.rejected("security-level");
        }
    }

    private void dispatcherCounter(CounterEvent e) {
        OID oid = e.getOid();
        if (oid.startsWith(SnmpConstants.snmpInASNParseErrs) || oid.startsWith(SnmpConstants.snmpInvalidMsgs)) {
            counters.rejected("malformed");
        } else if (oid.startsWith(SnmpConstants.snmpInBadVersions)) {
            counters.rejected("version");
        }
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}
