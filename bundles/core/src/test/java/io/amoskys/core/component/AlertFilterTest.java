package io.amoskys.core.component;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertFilterTest {
    private static Alert alert(Severity severity, String rule, String entity, String... tags) {
        return Alert.builder().id("a").rule(rule).entityId(entity).timestampNanos(1).severity(severity).title("t")
                .tags(List.of(tags)).build();
    }

    @Test
    void everyCriterionMustHold() {
        AlertFilter f = AlertFilter.ALL.withMinSeverity("medium").withTags("attack.t1046, attack.t1110")
                .withRules("sigma-*").withEntities("10.9.0.*,192.168.?.1");
        assertTrue(f.matches(alert(Severity.HIGH, "sigma-portscan", "10.9.0.2", "attack.t1046")));
        assertTrue(f.matches(alert(Severity.MEDIUM, "sigma-ssh", "192.168.4.1", "attack.t1110", "other")));
        assertFalse(f.matches(alert(Severity.LOW, "sigma-portscan", "10.9.0.2", "attack.t1046")), "below the severity");
        assertFalse(f.matches(alert(Severity.HIGH, "sigma-portscan", "10.9.0.2", "attack.t1059")), "no tag asked for");
        assertFalse(f.matches(alert(Severity.HIGH, "junction", "10.9.0.2", "attack.t1046")), "another rule");
        assertFalse(f.matches(alert(Severity.HIGH, "sigma-portscan", "10.9.1.2", "attack.t1046")), "another entity");
        assertFalse(f.matches(alert(Severity.HIGH, "sigma-portscan", "192.168.44.1", "attack.t1046")), "? is one character");
    }

    @Test
    void noCriterionLetsEveryAlertThrough() {
        assertTrue(AlertFilter.ALL.matches(alert(Severity.INFO, "r", "e")));
    }

    @Test
    void anUnknownSeverityIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlertFilter.ALL.withMinSeverity("urgent"));
        assertTrue(e.getMessage().contains("urgent"));
    }
}
