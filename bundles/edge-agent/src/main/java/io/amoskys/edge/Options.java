package io.amoskys.edge;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line, checked. */
record Options(String host, int port, String authority, Path ca, Path certificate, Path key, String agentId,
               Path signingKey, Path spool, long spoolMaxBytes, int batch, long lingerMillis, int maxEnvelopeBytes,
               int window, long reconnectMaxMillis, String source, long intervalMillis, boolean printKey) {

    static final String USAGE = """
            usage: java -jar amoskys-edge-agent.jar --server HOST:PORT --ca ca.crt --cert AGENT.crt --key AGENT.key
                     --agent-id NAME --signing-key FILE --spool DIR [--spool-max-bytes N] [--batch N] [--linger-ms N]
                     [--source stdin|process] [--interval-ms N] [--window N] [--reconnect-max-ms N]
                     [--max-envelope-bytes N] [--authority TLSNAME]
                   java -jar amoskys-edge-agent.jar --print-key --agent-id NAME --signing-key FILE
            Reads events (stdin: JSON lines of amoskys.v1.Event), signs them in envelopes, keeps them in the spool
            until the server has answered for them, and on the end of stdin sends what is left and exits.""";

    private static final Set<String> FLAGS = Set.of("--print-key", "--help");
    private static final List<String> VALUED = List.of("--server", "--ca", "--cert", "--key", "--agent-id",
            "--signing-key", "--spool", "--spool-max-bytes", "--batch", "--linger-ms", "--source", "--interval-ms",
            "--window", "--reconnect-max-ms", "--max-envelope-bytes", "--authority");

    static Options parse(String[] args) throws BadArgumentException {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            if (FLAGS.contains(arg)) {
                given.put(arg, "true");
            } else if (VALUED.contains(arg)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new BadArgumentException(arg + " needs a value");
                    }
                    value = args[++i];
                }
                given.put(arg, value);
            } else {
                throw new BadArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (given.containsKey("--help")) {
            throw new BadArgumentException("");
        }
        boolean printKey = given.containsKey("--print-key");
        String agentId = required(given, "--agent-id");
        if (!agentId.matches("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}")) {
            throw new BadArgumentException("--agent-id '" + agentId + "' is not an agent id: letters, digits and . _ @ : -");
        }
        Path signingKey = Path.of(required(given, "--signing-key"));
        if (printKey) {
            return new Options(null, 0, null, null, null, null, agentId, signingKey, null, 0, 0, 0, 0, 0, 0, null, 0, true);
        }
        String server = required(given, "--server");
        int colon = server.lastIndexOf(':');
        if (colon <= 0) {
            throw new BadArgumentException("--server must be HOST:PORT, got '" + server + "'");
        }
        String host = server.substring(0, colon).replaceAll("^\\[|]$", "");
        int port = (int) number(server.substring(colon + 1), "--server port", 1, 65535);
        String source = given.getOrDefault("--source", "stdin");
        if (!source.equals("stdin") && !source.equals("process")) {
            throw new BadArgumentException("--source must be stdin or process, got '" + source + "'");
        }
        return new Options(host, port, given.get("--authority"),
                Path.of(required(given, "--ca")), Path.of(required(given, "--cert")), Path.of(required(given, "--key")),
                agentId, signingKey, Path.of(required(given, "--spool")),
                number(given.getOrDefault("--spool-max-bytes", "268435456"), "--spool-max-bytes", 1024, Long.MAX_VALUE),
                (int) number(given.getOrDefault("--batch", "500"), "--batch", 1, 1_000_000),
                number(given.getOrDefault("--linger-ms", "50"), "--linger-ms", 0, 3_600_000),
                (int) number(given.getOrDefault("--max-envelope-bytes", "1048576"), "--max-envelope-bytes", 1024, 1 << 30),
                (int) number(given.getOrDefault("--window", "256"), "--window", 1, 100_000),
                number(given.getOrDefault("--reconnect-max-ms", "10000"), "--reconnect-max-ms", 100, 86_400_000),
                source,
                number(given.getOrDefault("--interval-ms", "10000"), "--interval-ms", 100, 86_400_000),
                false);
    }

    private static String required(Map<String, String> given, String name) throws BadArgumentException {
        String value = given.get(name);
        if (value == null || value.isBlank()) {
            throw new BadArgumentException("missing " + name);
        }
        return value;
    }

    private static long number(String text, String name, long min, long max) throws BadArgumentException {
        try {
            long value = Long.parseLong(text.strip());
            if (value < min || value > max) {
                throw new BadArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadArgumentException(name + " must be a whole number, got '" + text + "'");
        }
    }
}
