package io.amoskys.bus.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    @TempDir
    Path dir;

    @Test
    void initMakesACaAndAServerCertificateForEveryName() throws Exception {
        CertificateAuthority ca = new CertificateAuthority(dir);
        CertificateAuthority.InitResult result = ca.init(List.of("ingest.example.org", "10.1.2.3"), 30, false);

        assertTrue(result.newCa());
        X509Certificate root = CertificateAuthority.readCertificate(dir.resolve("ca.crt"));
        X509Certificate server = CertificateAuthority.readCertificate(dir.resolve("server.crt"));
        server.verify(root.getPublicKey());
        root.verify(root.getPublicKey());
        assertEquals(0, root.getBasicConstraints(), "a CA for leaves only");
        assertEquals(-1, server.getBasicConstraints());
        assertEquals("SHA256withECDSA", server.getSigAlgName());
        Set<String> names = server.getSubjectAlternativeNames().stream()
                .map(entry -> (String) entry.get(1)).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("localhost", "127.0.0.1", "ingest.example.org", "10.1.2.3")), names.toString());
        assertTrue(server.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
        for (String key : List.of("ca.key", "server.key")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))), key);
        }
        CertificateAuthority.readPrivateKey(dir.resolve("server.key"));
    }

    @Test
    void anExistingCaIsKeptUnlessForced() throws Exception {
        CertificateAuthority ca = new CertificateAuthority(dir);
        ca.init(List.of(), 30, false);
        X509Certificate first = CertificateAuthority.readCertificate(dir.resolve("ca.crt"));

        CertificateAuthority.InitResult again = ca.init(List.of("more.example.org"), 30, false);
        assertFalse(again.newCa());
        assertEquals(first, CertificateAuthority.readCertificate(dir.resolve("ca.crt")));
        CertificateAuthority.readCertificate(dir.resolve("server.crt")).verify(first.getPublicKey());

        assertTrue(ca.init(List.of(), 30, true).newCa());
        assertNotEquals(first, CertificateAuthority.readCertificate(dir.resolve("ca.crt")));
    }

    @Test
    void agentCertificatesNameTheAgentAndAreSignedByTheCa() throws Exception {
        CertificateAuthority ca = new CertificateAuthority(dir);
        ca.init(List.of(), 30, false);
        Path out = dir.resolve("agents/edge-7");
        CertificateAuthority.AgentFiles files = ca.issueAgent("edge-7", out, 10);

        assertEquals(out.resolve("edge-7.crt"), files.certificate());
        X509Certificate agent = CertificateAuthority.readCertificate(files.certificate());
        agent.verify(CertificateAuthority.readCertificate(dir.resolve("ca.crt")).getPublicKey());
        assertEquals("edge-7", ClientCertificateInterceptor.commonName(agent));
        assertTrue(agent.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "clientAuth");
        assertEquals(Files.readString(dir.resolve("ca.crt")), Files.readString(files.ca()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key())));
        assertTrue(Files.readString(files.key()).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 PEM");

        List<CertificateAuthority.Listing> listed = ca.list();
        assertEquals(List.of(out.resolve("edge-7.crt"), dir.resolve("ca.crt"), dir.resolve("server.crt")),
                listed.stream().map(CertificateAuthority.Listing::file).toList());
        assertEquals(agent.getSerialNumber().toString(16), listed.get(0).serial());
        assertEquals(agent.getNotAfter().toInstant(), listed.get(0).notAfter());
    }

    @Test
    void refusesNamesThatAreNotAgentIdsAndWorkWithoutACa() throws Exception {
        CertificateAuthority ca = new CertificateAuthority(dir);
        assertThrows(IllegalStateException.class, () -> ca.issueAgent("edge-1", dir.resolve("x"), 10));
        ca.init(List.of(), 30, false);
        assertThrows(IllegalArgumentException.class, () -> ca.issueAgent("../escape", dir.resolve("x"), 10));
        assertThrows(IllegalArgumentException.class, () -> ca.issueAgent("CN=x,O=y", dir.resolve("x"), 10));
        assertThrows(IllegalArgumentException.class, () -> ca.init(List.of("bad host"), 30, false));
    }
}
