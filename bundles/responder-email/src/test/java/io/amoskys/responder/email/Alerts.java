package io.amoskys.responder.email;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionRequest;
import java.util.List;
import java.util.Map;

/** The alert and actions the tests send. */
final class Alerts {
    private Alerts() {}

    static Alert alert(String title) {
        return Alert.builder().id("alert-1").rule("scan").entityId("host:10.9.0.2").severity(Severity.HIGH)
                .title(title).timestampNanos(1_700_000_000_123_000_000L)
                .tags(List.of("attack.t1046", "attack.discovery")).eventIds(List.of("agent:7"))
                .groupBy(Map.of("src", "10.9.0.2")).build();
    }

    static Action action(String id, ActionRequest request, int attempt) {
        return new Action(id, "email", "alert-1", "scan", "host:10.9.0.2", request, attempt);
    }
}
