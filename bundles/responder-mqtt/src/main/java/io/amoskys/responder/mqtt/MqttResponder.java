package io.amoskys.responder.mqtt;

import io.amoskys.response.support.AlertJson;
import io.amoskys.api.PluginName;
import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT destination: publishes an alert as JSON to a topic, one instance per factory
 * configuration, each registered under the responder name its configuration gives
 * ({@code amoskys.plugin.name}, by default {@code mqtt}). The topic and the alert's JSON are made
 * when the action is planned; the payload {@code {"actionId", "responder", "alert"}} carries the
 * action id, as a retry may repeat a message the broker took but did not acknowledge in time.
 */
@Component(service = ActionResponder.class, configurationPid = MqttResponder.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MqttConfig.class, factory = true)
@PluginName("mqtt")
public class MqttResponder implements ActionResponder {
    public static final String PID = "io.amoskys.responder.mqtt";
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(MqttResponder.class);

    private final MqttSettings settings;
    private final BrokerLink link;

    @Activate
    public MqttResponder(MqttConfig config) {
        this.settings = new MqttSettings(config);
        this.link = new BrokerLink(settings);
        if (!settings.problems().isEmpty()) {
            LOG.warn("MQTT responder '{}' cannot be armed: {}", settings.name, String.join("; ", settings.problems()));
        }
    }

    @Deactivate
    void close() {
        link.close();
    }

    @Override
    public List<ActionRequest> plan(Alert alert) {
        if (!settings.problems().isEmpty()) {
            throw new IllegalArgumentException("MQTT responder '" + settings.name + "' is misconfigured: "
                    + String.join("; ", settings.problems()));
        }
        String topic = settings.topic.render(alert);
        String json = AlertJson.of(alert);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("the JSON of alert " + alert.id() + " would be " + bytes
                    + " bytes, more than the " + MAX_PAYLOAD_BYTES + " this responder publishes");
        }
        return List.of(ActionRequest.of("notify", Target.recipient(settings.recipient() + "/" + topic),
                        "publish alert " + alert.id() + " (" + alert.severity() + ", rule " + alert.rule() + ") to topic "
                                + topic + " on " + settings.recipient())
                .withParameters(Map.of("topic", topic, "alert", json)));
    }

    @Override
    public ActionOutcome execute(Action action) {
        if (!settings.problems().isEmpty()) {
            return ActionOutcome.failed("misconfigured: " + String.join("; ", settings.problems()));
        }
        String topic = action.request().parameters().get("topic");
        byte[] payload;
        try {
            payload = payload(action).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return ActionOutcome.failed("the action cannot be published: " + e.getMessage());
        }
        String what = "publish " + payload.length + " bytes to topic " + topic + " on " + settings.recipient()
                + " (QoS " + settings.qos + (settings.retained ? ", retained" : "") + ")";
        try {
            boolean opened = link.publish(topic, payload);
            String connection = opened ? "new connection" : "open connection";
            return ActionOutcome.succeeded(what + ": " + switch (settings.qos) {
                case 0 -> "written to the " + connection + "; QoS 0 has no acknowledgement";
                case 1 -> "acknowledged by the broker (PUBACK) on the " + connection;
                default -> "acknowledged by the broker (PUBCOMP) on the " + connection;
            });
        } catch (MqttException e) {
            String why = what + ": " + PublishErrors.describe(e);
            return PublishErrors.permanent(e) ? ActionOutcome.failed(why) : ActionOutcome.retry(why);
        }
    }

    private static String payload(Action action) {
        Map<String, String> p = action.request().parameters();
        if (p.get("topic") == null || p.get("topic").isEmpty() || p.get("alert") == null) {
            throw new IllegalArgumentException("it has no topic or alert parameter");
        }
        if (p.get("topic").chars().anyMatch(ch -> ch == '+' || ch == '#' || ch == 0)) {
            throw new IllegalArgumentException("topic '" + p.get("topic") + "' has a wildcard");
        }
        JsonObject envelope = new JsonObject();
        envelope.put("actionId", action.id());
        envelope.put("responder", action.responder());
        try {
            envelope.put("alert", Jsoner.deserialize(p.get("alert")));
        } catch (DeserializationException e) {
            throw new IllegalArgumentException("its alert parameter is no JSON: " + e.getMessage());
        }
        return envelope.toJson();
    }

    @Override
    public List<String> configurationProblems() {
        return settings.problems();
    }
}
