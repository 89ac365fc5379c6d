package io.amoskys.responder.email;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** TLS client sockets trusting the Java runtime's certificate authorities, or those of one trust store. */
final class TrustedTls {
    private TrustedTls() {}

    /**
     * @param trustStore {@code null} for the runtime's default trust store
     * @throws IllegalArgumentException naming why the trust store cannot be used
     */
    static SSLSocketFactory factory(Path trustStore, char[] password) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trustStore == null) {
                trust.init((KeyStore) null);
            } else {
                if (!Files.isRegularFile(trustStore) || !Files.isReadable(trustStore)) {
                    throw new IOException("no readable file there");
                }
                KeyStore store = KeyStore.getInstance(trustStore.toFile(), password);
                if (Collections.list(store.aliases()).stream().noneMatch(alias -> isCertificate(store, alias))) {
                    throw new IllegalArgumentException("trustStore " + trustStore + " holds no certificate");
                }
                trust.init(store);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trustStore " + trustStore + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.getCertificate(alias) != null;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
