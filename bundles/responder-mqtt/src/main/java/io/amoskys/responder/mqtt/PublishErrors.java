package io.amoskys.responder.mqtt;

import java.net.ConnectException;
import java.security.cert.CertificateException;
import org.eclipse.paho.client.mqttv3.MqttException;

/** Which failures retrying may cure, in words an operator can act on; Paho's own are terse. */
final class PublishErrors {
    private PublishErrors() {}

    /** The broker answered and said no (credentials, client id), or its certificate is refused: retrying does not help. */
    static boolean permanent(Throwable e) {
        if (e instanceof MqttException m) {
            int code = m.getReasonCode();
            if (code == MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION || code == MqttException.REASON_CODE_INVALID_CLIENT_ID
                    || code == MqttException.REASON_CODE_FAILED_AUTHENTICATION || code == MqttException.REASON_CODE_NOT_AUTHORIZED) {
                return true;
            }
        }
        return certificateProblem(e);
    }

    static String describe(Throwable e) {
        Throwable root = root(e);
        if (certificateProblem(e)) {
            return "the broker's certificate is refused: not trusted, or it does not name the host (" + root + ")";
        }
        if (root instanceof ConnectException) {
            return "nothing accepts connections there (" + root.getMessage() + ")";
        }
        String what = e.toString();
        if (e instanceof MqttException m) {
            what = switch (m.getReasonCode()) {
                case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> "the broker refused the user name or password";
                case MqttException.REASON_CODE_NOT_AUTHORIZED -> "the broker refused the credentials (not authorised)";
                case MqttException.REASON_CODE_INVALID_CLIENT_ID -> "the broker refused the client id";
                case MqttException.REASON_CODE_BROKER_UNAVAILABLE -> "the broker is unavailable";
                case MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION -> "the broker does not speak MQTT 3.1.1";
                case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "no answer from the broker in time";
                case MqttException.REASON_CODE_CONNECTION_LOST -> "connection lost";
                default -> "MQTT error " + m.getReasonCode() + (m.getMessage() == null ? "" : ": " + m.getMessage());
            };
        }
        return root == e ? what : what + " (" + root + ")";
    }

    private static boolean certificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
