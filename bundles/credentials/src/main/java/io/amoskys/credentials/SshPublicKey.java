package io.amoskys.credentials;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/** The OpenSSH wire form of an RSA public key (RFC 4253 section 6.6), as keys.properties holds it. */
final class SshPublicKey {
    private SshPublicKey() {}

    static String base64(RSAPublicKey key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            // mpints: two's complement big-endian, exactly what BigInteger.toByteArray gives.
            writeString(out, key.getPublicExponent().toByteArray());
            writeString(out, key.getModulus().toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen in memory
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static void writeString(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }
}
