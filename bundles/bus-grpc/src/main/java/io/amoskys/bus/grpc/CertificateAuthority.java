package io.amoskys.bus.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The private CA of remote ingest, kept as PEM files in one folder: {@code ca.crt}/{@code ca.key}
 * and the server's {@code server.crt}/{@code server.key}. Issues agent (client) certificates whose
 * common name is the agent id. EC P-256 keys, SHA256withECDSA; private keys are PKCS#8 PEM,
 * readable by their owner only. No Karaf types: the amoskys:certs command is a thin shell over it.
 */
public final class CertificateAuthority {
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String SERVER_CERT = "server.crt";
    public static final String SERVER_KEY = "server.key";
    /** The agent ids the bus enrols; the name becomes a file name too, so nothing else gets in. */
    public static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}");

    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    /** The three files the server needs. */
    public record TlsFiles(Path ca, Path serverCertificate, Path serverKey) {
        public static TlsFiles in(Path dir) {
            return new TlsFiles(dir.resolve(CA_CERT), dir.resolve(SERVER_CERT), dir.resolve(SERVER_KEY));
        }

        public boolean complete() {
            return Files.isRegularFile(ca) && Files.isRegularFile(serverCertificate) && Files.isRegularFile(serverKey);
        }
    }

    /** What {@link #init} did. */
    public record InitResult(boolean newCa, List<String> serverNames, Path caCertificate, Path serverCertificate) {}

    /** An issued client certificate and where its files went. */
    public record AgentFiles(Path certificate, Path key, Path ca) {}

    /** One certificate file, as amoskys:certs list shows it. */
    public record Listing(Path file, String subject, String serial, Instant notAfter) {}

    private final Path dir;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public CertificateAuthority(Path dir) {
        this(dir, Clock.systemUTC());
    }

    CertificateAuthority(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Makes the CA (unless one exists and {@code force} is false: then it is kept) and a server
     * certificate for localhost, 127.0.0.1, this machine's name and {@code hosts}.
     */
    public InitResult init(Collection<String> hosts, int days, boolean force) throws IOException, GeneralSecurityException {
        boolean newCa = force || !Files.exists(dir.resolve(CA_CERT)) || !Files.exists(dir.resolve(CA_KEY));
        if (newCa) {
            KeyPair ca = newKeyPair();
            X500Name name = name("AMOSKYS ingest CA");
            Instant now = clock.instant();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(CA_LIFETIME)), name, ca.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
            X509Certificate certificate = sign(builder, ca.getPrivate());
            writePrivateKey(dir.resolve(CA_KEY), ca.getPrivate());
            writeCertificate(dir.resolve(CA_CERT), certificate);
        }
        List<String> names = serverNames(hosts);
        Issuer issuer = issuer();
        KeyPair server = newKeyPair();
        List<GeneralName> alternatives = new ArrayList<>();
        for (String host : names) {
            alternatives.add(new GeneralName(IPAddress.isValid(host) ? GeneralName.iPAddress : GeneralName.dNSName, host));
        }
        X509v3CertificateBuilder builder = issuer.leaf(name(names.get(0)), server.getPublic(), days, KeyPurposeId.id_kp_serverAuth);
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(alternatives.toArray(GeneralName[]::new)));
        X509Certificate certificate = sign(builder, issuer.key);
        writePrivateKey(dir.resolve(SERVER_KEY), server.getPrivate());
        writeCertificate(dir.resolve(SERVER_CERT), certificate);
        return new InitResult(newCa, names, dir.resolve(CA_CERT), dir.resolve(SERVER_CERT));
    }

    /** Issues a client certificate with CN={@code agent} into {@code outDir}, with a copy of the CA certificate. */
    public AgentFiles issueAgent(String agent, Path outDir, int days) throws IOException, GeneralSecurityException {
        if (agent == null || !AGENT_NAME.matcher(agent).matches()) {
            throw new IllegalArgumentException("'" + agent + "' is not an agent id: letters, digits and . _ @ : - only,"
                    + " starting with a letter or digit, at most 128");
        }
        return issueClient(name(agent), agent, outDir, days);
    }

    /** A client certificate for {@code subject}, written as {@code FILE.crt} and {@code FILE.key}. */
    AgentFiles issueClient(X500Name subject, String file, Path outDir, int days) throws IOException, GeneralSecurityException {
        Issuer issuer = issuer();
        KeyPair pair = newKeyPair();
        X509Certificate certificate = sign(issuer.leaf(subject, pair.getPublic(), days, KeyPurposeId.id_kp_clientAuth),
                issuer.key);
        AgentFiles files = new AgentFiles(outDir.resolve(file + ".crt"), outDir.resolve(file + ".key"), outDir.resolve(CA_CERT));
        writePrivateKey(files.key(), pair.getPrivate());
        writeCertificate(files.certificate(), certificate);
        writeCertificate(files.ca(), issuer.certificate);
        return files;
    }

    /** The CA, the server certificate and the agent certificates under {@code agents/}. */
    public List<Listing> list() throws IOException, GeneralSecurityException {
        List<Path> files = new ArrayList<>();
        for (String name : List.of(CA_CERT, SERVER_CERT)) {
            if (Files.isRegularFile(dir.resolve(name))) {
                files.add(dir.resolve(name));
            }
        }
        Path agents = dir.resolve("agents");
        if (Files.isDirectory(agents)) {
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(agents, Files::isDirectory)) {
                for (Path folder : folders) {
                    Path certificate = folder.resolve(folder.getFileName() + ".crt");
                    if (Files.isRegularFile(certificate)) {
                        files.add(certificate);
                    }
                }
            }
        }
        List<Listing> out = new ArrayList<>();
        for (Path file : files) {
            X509Certificate c = readCertificate(file);
            out.add(new Listing(file, c.getSubjectX500Principal().getName(), c.getSerialNumber().toString(16),
                    c.getNotAfter().toInstant()));
        }
        out.sort((a, b) -> a.file().compareTo(b.file()));
        return out;
    }

    /** A trust manager that accepts only certificates signed by the CA in {@code caFile}. */
    public static X509ExtendedTrustManager trustManager(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("amoskys-ca", readCertificate(caFile));
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }

    public static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** The CA's certificate and key, loaded to sign leaves. */
    private final class Issuer {
        final X509Certificate certificate;
        final PrivateKey key;

        Issuer(X509Certificate certificate, PrivateKey key) {
            this.certificate = certificate;
            this.key = key;
        }

        X509v3CertificateBuilder leaf(X500Name subject, PublicKey key, int days, KeyPurposeId purpose)
                throws IOException, GeneralSecurityException {
            if (days < 1) {
                throw new IllegalArgumentException("--days must be at least 1");
            }
            Instant now = clock.instant();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(Duration.ofDays(days))), subject, key);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return builder;
        }
    }

    private Issuer issuer() throws IOException, GeneralSecurityException {
        Path certificate = dir.resolve(CA_CERT);
        Path key = dir.resolve(CA_KEY);
        if (!Files.isRegularFile(certificate) || !Files.isRegularFile(key)) {
            throw new IllegalStateException("no CA in " + dir + ": run amoskys:certs init first");
        }
        return new Issuer(readCertificate(certificate), readPrivateKey(key));
    }

    private static List<String> serverNames(Collection<String> hosts) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no resolvable machine name: localhost and the --host names still serve
        }
        for (String host : hosts) {
            if (host == null || host.isBlank() || !host.strip().matches("[A-Za-z0-9.:*-]+")) {
                throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
            }
            names.add(host.strip());
        }
        return List.copyOf(names);
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "AMOSKYS").addRDN(BCStyle.CN, commonName).build();
    }

    private BigInteger serial() {
        return new BigInteger(127, random).setBit(0);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with SHA256withECDSA", e);
        }
    }

    private static void writeCertificate(Path file, X509Certificate certificate) throws IOException, GeneralSecurityException {
        write(file, pem("CERTIFICATE", certificate.getEncoded()), false);
    }

    private static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        write(file, pem("PRIVATE KEY", key.getEncoded()), true);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Writes through a temporary file so that a reader never sees half a file; secrets are 0600 from the start. */
    private static void write(Path file, String text, boolean secret) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
