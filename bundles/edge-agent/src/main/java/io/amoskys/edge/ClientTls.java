package io.amoskys.edge;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * The agent's side of mutual TLS, from the files amoskys:certs agent wrote. Each file is read and
 * checked here so that a wrong or unreadable one is named on the command line, not discovered as
 * a failed handshake later.
 */
final class ClientTls {
    private ClientTls() {}

    static SslContext context(Path caFile, Path certificateFile, Path keyFile) throws BadArgumentException {
        X509Certificate[] ca = certificates(caFile, "--ca");
        X509Certificate[] chain = certificates(certificateFile, "--cert");
        PrivateKey key = privateKey(keyFile);
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forClient().trustManager(ca).keyManager(key, chain),
                    SslProvider.JDK).build();
        } catch (IOException | RuntimeException e) {
            throw new BadArgumentException("cannot use " + certificateFile + " with " + keyFile + ": " + e.getMessage());
        }
    }

    private static X509Certificate[] certificates(Path file, String option) throws BadArgumentException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> found = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (found.isEmpty()) {
                throw new BadArgumentException(option + " " + file + " holds no certificate");
            }
            return found.toArray(X509Certificate[]::new);
        } catch (IOException e) {
            throw new BadArgumentException("cannot read " + option + " " + file + ": " + e);
        } catch (GeneralSecurityException e) {
            throw new BadArgumentException(option + " " + file + " is not a PEM certificate: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file) throws BadArgumentException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new BadArgumentException("cannot read --key " + file + ": " + e);
        }
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new BadArgumentException("--key " + file + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                    pem.indexOf("-----END PRIVATE KEY-----")));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new BadArgumentException("--key " + file + " is damaged: " + e.getMessage());
        }
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new BadArgumentException("--key " + file + " is neither an EC nor an RSA private key");
    }
}
