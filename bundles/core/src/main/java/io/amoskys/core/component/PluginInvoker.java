package io.amoskys.core.component;

import io.amoskys.api.CorrelationRule;
import io.amoskys.api.Detector;
import io.amoskys.api.FeatureStage;
import io.amoskys.api.InputAgent;
import io.amoskys.api.PluginKind;
import io.amoskys.api.Responder;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Response;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Calls one plugin with an exchange's body and puts the plugin's answer back as the new body.
 * The event a chain started from travels as the exchange property {@value #EVENT_PROPERTY}.
 */
final class PluginInvoker {
    static final String EVENT_PROPERTY = "amoskys.event";

    private PluginInvoker() {}

    /**
     * @return {@code true} when the plugin produced something to pass on; {@code false} when it
     *     answered with nothing (the exchange then stops here)
     * @throws IllegalArgumentException when the body is not what this kind of plugin takes
     */
    static boolean invoke(PluginKind kind, Object plugin, Exchange exchange, String uri) {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        Object result = switch (kind) {
            case STAGE -> stage((FeatureStage) plugin, exchange, body, uri);
            case DETECTOR -> ((Detector) plugin).score(expect(body, FeatureVector.class, uri));
            case RULE -> emptyToNull(((CorrelationRule) plugin).evaluate(expect(body, Score.class, uri)));
            case RESPONDER -> respond((Responder) plugin, body, uri);
            case AGENT -> feed(plugin, body, uri);
        };
        if (result == null) {
            return false;
        }
        in.setBody(result);
        return true;
    }

    /** An agent fed by routes takes the message; the route goes on with the same body. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Object feed(Object agent, Object body, String uri) {
        if (!(agent instanceof InputAgent input)) {
            throw new IllegalArgumentException(uri + " is an agent that takes no input: routes can only read from it");
        }
        if (!input.inputType().isInstance(body)) {
            throw wrongBody(uri, "a " + input.inputType().getSimpleName(), body);
        }
        input.input(body);
        return body;
    }

    private static FeatureVector stage(FeatureStage stage, Exchange exchange, Object body, String uri) {
        if (body instanceof TelemetryEvent event) {
            exchange.setProperty(EVENT_PROPERTY, event);
            return stage.process(event, null);
        }
        FeatureVector current = expect(body, FeatureVector.class, uri);
        TelemetryEvent event = exchange.getProperty(EVENT_PROPERTY, TelemetryEvent.class);
        if (event == null) {
            throw new IllegalArgumentException(uri + " got a FeatureVector without the telemetry event it came from");
        }
        return stage.process(event, current);
    }

    private static Object respond(Responder responder, Object body, String uri) {
        if (body instanceof Alert alert) {
            return responder.respond(alert);
        }
        if (body instanceof List<?> list && list.stream().allMatch(Alert.class::isInstance)) {
            List<Response> responses = new ArrayList<>(list.size());
            for (Object alert : list) {
                responses.add(responder.respond((Alert) alert));
            }
            return responses;
        }
        throw wrongBody(uri, "an Alert", body);
    }

    /** One alert travels as itself, several as a list; none stops the exchange. */
    private static Object emptyToNull(List<Alert> alerts) {
        if (alerts == null || alerts.isEmpty()) {
            return null;
        }
        return alerts.size() == 1 ? alerts.get(0) : List.copyOf(alerts);
    }

    private static <T> T expect(Object body, Class<T> type, String uri) {
        if (type.isInstance(body)) {
            return type.cast(body);
        }
        throw wrongBody(uri, "a " + type.getSimpleName(), body);
    }

    private static IllegalArgumentException wrongBody(String uri, String expected, Object body) {
        String actual = body == null ? "no body" : body.getClass().getSimpleName();
        return new IllegalArgumentException(uri + " takes " + expected + " but the route gave it " + actual
                + ": check the order of steps in the route");
    }
}
