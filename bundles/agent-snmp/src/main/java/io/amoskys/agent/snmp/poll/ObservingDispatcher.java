package io.amoskys.agent.snmp.poll;

import java.nio.ByteBuffer;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.smi.Address;

/** SNMP4J's dispatcher, telling {@link DroppedMessages} which address the message being decoded came from. */
final class ObservingDispatcher extends MessageDispatcherImpl {
    private final DroppedMessages dropped;

    ObservingDispatcher(DroppedMessages dropped) {
        this.dropped = dropped;
        addCounterListener(dropped);
    }

    @Override
    public <A extends Address> void processMessage(TransportMapping<? super A> transport, A source, ByteBuffer message,
            TransportStateReference state) {
        dropped.handling(source);
        try {
            super.processMessage(transport, source, message, state);
        } finally {
            dropped.handled();
        }
    }
}
