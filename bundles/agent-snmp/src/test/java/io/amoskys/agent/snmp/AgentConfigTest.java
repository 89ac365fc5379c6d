package io.amoskys.agent.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

/** The agent's own settings: a bad one is refused naming it, before any device is touched. */
class AgentConfigTest {
    private static SnmpAgent.Config config(int eventQueueCapacity, int workQueueCapacity) {
        return new SnmpAgent.Config() {
            @Override
            public int eventQueueCapacity() {
                return eventQueueCapacity;
            }

            @Override
            public int workQueueCapacity() {
                return workQueueCapacity;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return SnmpAgent.Config.class;
            }
        };
    }

    @Test
    void aQueueCapacityBelowOneIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SnmpAgent(config(100, 0)));
        assertEquals(SnmpAgent.PID + ": eventQueueCapacity and workQueueCapacity must be at least 1, were 100 and 0", e.getMessage());
    }
}
