package io.amoskys.responder.syslog;

import java.util.Locale;

/** How messages travel, with the port each uses by default (RFC 5426, RFC 6587, RFC 5425). */
enum Transport {
    UDP(514),
    TCP(514),
    TLS(6514);

    final int defaultPort;

    Transport(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** @return {@code null} when the name is none of udp, tcp, tls */
    static Transport named(String name) {
        for (Transport t : values()) {
            if (t.text().equals(name)) {
                return t;
            }
        }
        return null;
    }

    String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
