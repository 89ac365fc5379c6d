package io.amoskys.bus.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * {@code bin/amoskys-verify [WAL_DIR [TRUST_DIR]]}: the check of {@code amoskys:verify} without
 * the platform, on a stopped installation's log or on a copy of it, with nothing but the stored
 * bytes and the public keys. Exits 0 when the log is intact, 1 when it is damaged, 2 on bad input.
 */
public final class OfflineVerify {
    private OfflineVerify() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OfflineVerify WAL_DIR TRUST_DIR");
            System.exit(2);
        }
        Path wal = Path.of(args[0]);
        if (!Files.isRegularFile(wal.resolve("service.properties"))) {
            System.err.println(wal + " is not a Derby database (no service.properties); stop AMOSKYS or copy its data/amoskys/bus/wal");
            System.exit(2);
        }
        TrustStore trust = new TrustStore(Path.of(args[1]));
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(wal.toAbsolutePath().toString());
        ChainVerifier.Result result;
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            result = new ChainVerifier(keyId -> trust.find(keyId).map(TrustedKey::publicKey)).verify(c);
        } catch (SQLException e) {
            System.err.println("cannot open the log at " + wal + ": " + e.getMessage()
                    + (e.getSQLState() != null && e.getSQLState().startsWith("XJ040") ? " (is AMOSKYS still running on it?)" : ""));
            System.exit(2);
            return;
        }
        System.out.println(result.summary());
        System.exit(result.intact() ? 0 : 1);
    }
}
