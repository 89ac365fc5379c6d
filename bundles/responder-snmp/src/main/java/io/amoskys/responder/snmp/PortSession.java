package io.amoskys.responder.snmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.snmp4j.util.DefaultPDUFactory;

/**
 * One SNMP4J session to one device, for one request (actions are rare). For v3 it has a USM of
 * its own that knows only this device's user: the keys are localised to the engine ID discovered
 * for this device alone, so two devices with the same user name and different pass phrases never
 * meet. None of SNMP4J's JVM-wide tables ({@code SecurityModels}, {@code SecurityProtocols},
 * {@code CounterSupport}) is used: other bundles share those.
 */
final class PortSession implements AutoCloseable {
    private final Snmp snmp;
    private final Target<UdpAddress> target;
    private final Rejections rejections;

    private PortSession(Snmp snmp, Target<UdpAddress> target, Rejections rejections) {
        this.snmp = snmp;
        this.target = target;
        this.rejections = rejections;
    }

    static PortSession open(Security security, UdpAddress address, long timeoutMillis, int retries) throws IOException {
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        Rejections rejections = new Rejections();
        Target<UdpAddress> target;
        if (security instanceof Security.Usm usm) {
            addV3(dispatcher, usm, rejections);
            target = userTarget(address, usm);
        } else {
            dispatcher.addMessageProcessingModel(new MPv2c());
            CommunityTarget<UdpAddress> t = new CommunityTarget<>(address, octets(((Security.Community) security).community()));
            t.setVersion(SnmpConstants.version2c);
            target = t;
        }
        target.setTimeout(timeoutMillis);
        target.setRetries(retries);
        Snmp snmp = new Snmp(dispatcher, new DefaultUdpTransportMapping());
        try {
            snmp.listen();
        } catch (IOException | RuntimeException e) {
            snmp.close();
            throw e;
        }
        return new PortSession(snmp, target, rejections);
    }

    /** SNMP v3 with a USM, protocol table and counters of this session's own, holding only this device's user. */
    private static void addV3(MessageDispatcherImpl dispatcher, Security.Usm usm, Rejections rejections) {
        SecurityProtocols protocols = UsmProtocols.table(usm);
        CounterSupport counters = new CounterSupport();
        counters.addCounterListener(rejections);
        // Ours is never addressed (we only ask); SNMP4J's default would look up this host's address each time.
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        byte[] engineId = MPv3.createLocalEngineID(new OctetString(random));
        USM model = new USM(protocols, new OctetString(engineId), 0, counters);
        // No engine ID: SNMP4J discovers the device's and localises the keys to it.
        model.addUser(octets(usm.user()), new UsmUser(octets(usm.user()),
                UsmProtocols.auth(usm.authProtocol()).getID(), octets(usm.authPassword()),
                usm.encrypts() ? UsmProtocols.priv(usm.privProtocol()).getID() : null,
                usm.encrypts() ? octets(usm.privPassword()) : null));
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(model);
        dispatcher.addMessageProcessingModel(new MPv3(engineId, new DefaultPDUFactory(), protocols, models, counters));
        dispatcher.addCommandResponder(rejections); // before Snmp's own responder, which ignores such reports
    }

    private static UserTarget<UdpAddress> userTarget(UdpAddress address, Security.Usm usm) {
        UserTarget<UdpAddress> t = new UserTarget<>();
        t.setAddress(address);
        t.setVersion(SnmpConstants.version3);
        t.setSecurityName(octets(usm.user()));
        t.setSecurityLevel(usm.encrypts() ? SecurityLevel.AUTH_PRIV : SecurityLevel.AUTH_NOPRIV);
        return t;
    }

    /** UTF-8, as net-snmp reads names and pass phrases; SNMP4J's String constructor takes the platform's charset. */
    private static OctetString octets(String text) {
        return new OctetString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** An empty request of the right kind: v3 requests are scoped (default context). */
    PDU pdu(int type) {
        PDU pdu = target instanceof UserTarget ? new ScopedPDU() : new PDU();
        pdu.setType(type);
        return pdu;
    }

    ResponseEvent<UdpAddress> send(PDU pdu) throws IOException {
        return snmp.send(pdu, target);
    }

    /** Why the device's answer did not count, as a USM statistic, or null (see {@link Rejections}). */
    OID rejection() {
        return rejections.last();
    }

    String user() {
        return target instanceof UserTarget ? target.getSecurityName().toString() : null;
    }

    @Override
    public void close() {
        try {
            snmp.close();
        } catch (IOException e) {
            // closing a UDP socket: nothing to do
        }
    }
}
