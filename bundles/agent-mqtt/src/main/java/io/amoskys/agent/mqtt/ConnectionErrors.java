package io.amoskys.agent.mqtt;

import java.net.ConnectException;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.MqttException;

/** Connection failures in words an operator can act on; Paho's own are terse ("MqttException"). */
final class ConnectionErrors {
    private ConnectionErrors() {}

    /** True when the broker answered and said no (credentials, client id, TLS), not when it was away. */
    static boolean refusal(Throwable e) {
        if (e instanceof MqttException m) {
            int code = m.getReasonCode();
            if (code >= MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION && code <= MqttException.REASON_CODE_NOT_AUTHORIZED
                    && code != MqttException.REASON_CODE_BROKER_UNAVAILABLE) {
                return true;
            }
        }
        return tlsFailure(root(e));
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "no reason given";
        }
        Throwable root = root(e);
        if (tlsFailure(root)) {
            return "TLS handshake failed, the broker's certificate is not trusted or does not name the host ("
                    + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        if (root instanceof ConnectException) {
            return "nothing accepts connections there (" + root.getMessage() + ")";
        }
        StringBuilder out = new StringBuilder();
        if (e instanceof MqttException m) {
            out.append(switch (m.getReasonCode()) {
                case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> "the broker refused the user name or password";
                case MqttException.REASON_CODE_NOT_AUTHORIZED -> "the broker refused the credentials (not authorised)";
                case MqttException.REASON_CODE_INVALID_CLIENT_ID -> "the broker refused the client id";
                case MqttException.REASON_CODE_BROKER_UNAVAILABLE -> "the broker is unavailable";
                case MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION -> "the broker does not speak MQTT 3.1.1";
                case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "no answer from the broker in time";
                case MqttException.REASON_CODE_CONNECTION_LOST -> "connection lost";
                default -> m.getMessage() == null ? "MQTT error " + m.getReasonCode() : m.getMessage();
            });
        } else {
            out.append(e.getClass().getSimpleName()).append(e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (root != e) {
            out.append(" (").append(root.getClass().getSimpleName())
                    .append(root.getMessage() == null ? "" : ": " + root.getMessage()).append(')');
        }
        return out.toString();
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The JDK's certificate path failures are sun.security exceptions under the SSLException. */
    private static boolean tlsFailure(Throwable root) {
        return root instanceof SSLException || root.getClass().getName().startsWith("sun.security");
    }
}
