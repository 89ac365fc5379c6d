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
import io.amoskys.api.rule.InputRule;
import io.amoskys.api.rule.RuleInput;
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
    /** The vector the last stage made, for rules that look at whole observations ({@link InputRule}). */
    static final String VECTOR_PROPERTY = "amoskys.vector";
    /** What the responders a message passed did about its alerts, in order. */
    static final String RESPONSES_PROPERTY = "amoskys.responses";

    private PluginInvoker() {}

    /**
     * @return {@code true} when the plugin produced something to pass on; {@code false} when it
     *     answered with nothing (the exchange then stops here)
     * @throws IllegalArgumentException when the body is not what this kind of plugin takes
     */
    static boolean invoke(PluginKind kind, Object plugin, Exchange exchange, String uri) {
        return invoke(kind, plugin, exchange, uri, null, AlertFilter.ALL);
    }

    /**
     * @param admission where a rule's alerts are admitted before they go on; null for none
     * @param filter which alerts a responder is handed (the others pass it by untouched)
     */
    static boolean invoke(PluginKind kind, Object plugin, Exchange exchange, String uri, AlertAdmission admission,
            AlertFilter filter) {
        Message in = exchange.getMessage();
        TelemetryEvent event = exchange.getProperty(EVENT_PROPERTY, TelemetryEvent.class);
        FeatureVector vector = exchange.getProperty(VECTOR_PROPERTY, FeatureVector.class);
        @SuppressWarnings("unchecked")
        List<Response> responses = exchange.getProperty(RESPONSES_PROPERTY, List.class);
        Carried carried = new Carried(in.getBody(), event, vector, responses);
        Object result = invoke(kind, plugin, carried, uri, admission, filter);
        if (carried.event != event) {
            exchange.setProperty(EVENT_PROPERTY, carried.event);
        }
        if (carried.vector != vector) {
            exchange.setProperty(VECTOR_PROPERTY, carried.vector);
        }
        if (carried.responses != responses) {
            exchange.setProperty(RESPONSES_PROPERTY, carried.responses);
        }
        if (result == null) {
            return false;
        }
        in.setBody(result);
        return true;
    }

    /**
     * What one message carries into a step: its body, the event its chain started from, the last
     * stage's vector and what responders did. A step may change the last three as well.
     */
    static final class Carried {
        final Object body;
        TelemetryEvent event;
        FeatureVector vector;
        List<Response> responses;

        Carried(Object body, TelemetryEvent event, FeatureVector vector, List<Response> responses) {
            this.body = body;
            this.event = event;
            this.vector = vector;
            this.responses = responses;
        }
    }

    /** @return the plugin's answer, the next body; null when it answered with nothing */
    static Object invoke(PluginKind kind, Object plugin, Carried carried, String uri, AlertAdmission admission,
            AlertFilter filter) {
        Object body = carried.body;
        return switch (kind) {
            case STAGE -> stage((FeatureStage) plugin, carried, uri);
            case DETECTOR -> ((Detector) plugin).score(expect(body, FeatureVector.class, uri));
            case RULE -> emptyToNull(admitted(admission, rule(plugin, carried, uri)));
            case RESPONDER -> respond((Responder) plugin, carried, uri, filter);
            case AGENT -> feed(plugin, body, uri);
        };
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

    /**
     * A rule that takes whole observations gets the event the chain started from, the vector the
     * stages made and the score at hand (whichever the route has); other rules get the score.
     */
    private static List<Alert> rule(Object plugin, Carried carried, String uri) {
        Object body = carried.body;
        if (plugin instanceof InputRule rule) {
            TelemetryEvent event = body instanceof TelemetryEvent e ? e : carried.event;
            if (event != null) {
                FeatureVector vector = body instanceof FeatureVector v ? v
                        : body instanceof TelemetryEvent ? null : carried.vector;
                List<Score> scores = body instanceof Score s ? List.of(s) : List.of();
                return rule.evaluate(RuleInput.of(event, vector, scores));
            }
            if (!(body instanceof Score)) {
                throw wrongBody(uri, "a TelemetryEvent, FeatureVector or Score", body);
            }
        }
        return ((CorrelationRule) plugin).evaluate(expect(body, Score.class, uri));
    }

    private static FeatureVector stage(FeatureStage stage, Carried carried, String uri) {
        FeatureVector made = stageOnly(stage, carried, uri);
        carried.vector = made;
        return made;
    }

    private static FeatureVector stageOnly(FeatureStage stage, Carried carried, String uri) {
        if (carried.body instanceof TelemetryEvent event) {
            carried.event = event;
            return stage.process(event, null);
        }
        FeatureVector current = expect(carried.body, FeatureVector.class, uri);
        TelemetryEvent event = carried.event;
        if (event == null) {
            throw new IllegalArgumentException(uri + " got a FeatureVector without the telemetry event it came from");
        }
        return stage.process(event, current);
    }

    /**
     * The alerts stay the body, so that responders chain (junction, then log, then a webhook);
     * what each responder did is added to the exchange property {@value #RESPONSES_PROPERTY}.
     */
    private static Object respond(Responder responder, Carried carried, String uri, AlertFilter filter) {
        Object body = carried.body;
        List<?> alerts;
        if (body instanceof Alert alert) {
            alerts = List.of(alert);
        } else if (body instanceof List<?> list && list.stream().allMatch(Alert.class::isInstance)) {
            alerts = list;
        } else {
            throw wrongBody(uri, "an Alert", body);
        }
        // A fresh list each time: a multicast's branches copy the exchange's properties by reference.
        List<Response> before = carried.responses;
        List<Response> responses = before == null ? new ArrayList<>(alerts.size()) : new ArrayList<>(before);
        for (Object alert : alerts) {
            if (!filter.matches((Alert) alert)) {
                continue;
            }
            Response response = responder.respond((Alert) alert);
            if (response != null) {
                responses.add(response);
            }
        }
        carried.responses = List.copyOf(responses);
        return body;
    }

    private static List<Alert> admitted(AlertAdmission admission, List<Alert> alerts) {
        return admission == null || alerts == null ? alerts : admission.admit(alerts);
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

    static IllegalArgumentException wrongBody(String uri, String expected, Object body) {
        String actual = body == null ? "no body" : body.getClass().getSimpleName();
        return new IllegalArgumentException(uri + " takes " + expected + " but the route gave it " + actual
                + ": check the order of steps in the route");
    }
}
