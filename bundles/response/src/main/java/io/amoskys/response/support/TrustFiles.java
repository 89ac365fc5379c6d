package io.amoskys.response.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts that trust exactly the certificate authorities of one file: PEM or DER
 * certificates (one or several), or a PKCS#12 / JKS trust store.
 */
public final class TrustFiles {
    private TrustFiles() {}

    public static SSLContext context(Path trustFile, char[] password) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustFile, password));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    public static boolean isStore(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx") || name.endsWith(".jks");
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        if (isStore(file)) {
            boolean jks = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks");
            KeyStore store = KeyStore.getInstance(jks ? "JKS" : "PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password);
            }
            if (store.size() == 0) {
                throw new GeneralSecurityException("it holds no certificate");
            }
            return store;
        }
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("it holds no certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }
}
