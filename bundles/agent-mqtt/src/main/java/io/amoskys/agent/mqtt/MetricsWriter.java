package io.amoskys.agent.mqtt;

import io.amoskys.agent.mqtt.payload.ErrorReason;
import java.util.Collection;
import java.util.function.ToLongFunction;

/** The agent's metric families in the Prometheus text format, one series per subscription. */
final class MetricsWriter {
    private MetricsWriter() {}

    static void write(StringBuilder out, Collection<BrokerSession> sessions) {
        counter(out, "amoskys_mqtt_messages_total", "MQTT messages received, good or bad", sessions,
                s -> s.stats().messages());
        counter(out, "amoskys_mqtt_readings_total", "IoT readings read from messages (those no subscriber took count as errors too)", sessions,
                s -> s.stats().readings());
        family(out, "amoskys_mqtt_errors_total", "counter",
                "Bad payloads, unknown units, undelivered readings and connection failures, by reason");
        for (BrokerSession s : sessions) {
            for (ErrorReason reason : ErrorReason.values()) {
                out.append("amoskys_mqtt_errors_total{subscription=\"").append(escape(s.settings().name()))
                        .append("\",reason=\"").append(reason.label()).append("\"} ")
                        .append(s.stats().errors(reason)).append('\n');
            }
        }
        gauge(out, "amoskys_mqtt_connected", "1 while connected to the broker, else 0", sessions,
                s -> s.connection().connected() ? 1 : 0);
        counter(out, "amoskys_mqtt_reconnects_total", "Connections made again after one was lost", sessions,
                s -> s.stats().reconnects());
        gauge(out, "amoskys_mqtt_sensors", "Sensors whose health the agent keeps", sessions, BrokerSession::sensorCount);
    }

    private static void counter(StringBuilder out, String name, String help, Collection<BrokerSession> sessions,
            ToLongFunction<BrokerSession> value) {
        family(out, name, "counter", help);
        series(out, name, sessions, value);
    }

    private static void gauge(StringBuilder out, String name, String help, Collection<BrokerSession> sessions,
            ToLongFunction<BrokerSession> value) {
        family(out, name, "gauge", help);
        series(out, name, sessions, value);
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void series(StringBuilder out, String name, Collection<BrokerSession> sessions,
            ToLongFunction<BrokerSession> value) {
        for (BrokerSession s : sessions) {
            out.append(name).append("{subscription=\"").append(escape(s.settings().name())).append("\"} ")
                    .append(value.applyAsLong(s)).append('\n');
        }
    }

    /** Label values escape backslash, quote and newline. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
