package io.amoskys.responder.email;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One alert message in RFC 5322 / MIME form: CRLF line endings, 7-bit ASCII only (non-ASCII text
 * goes into encoded-words and a quoted-printable or base64 body), so it needs no SMTP extension.
 */
final class MailMessage {
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final String CRLF = "\r\n";
    /** Longest line the message aims at; RFC 5322 allows 998 but asks for 78. */
    private static final int LINE = 78;
    /**
     * Bytes of UTF-8 per encoded-word: 39 bytes are 52 base64 characters, 64 with "=?UTF-8?B?" and
     * "?=", so "Subject: " and one word stay within the 76 characters RFC 2047 allows such a line.
     */
    private static final int WORD_BYTES = 39;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9]+([.-][A-Za-z0-9]+)*");

    enum BodyEncoding {
        QUOTED_PRINTABLE("quoted-printable"), BASE64("base64");

        final String header;

        BodyEncoding(String header) {
            this.header = header;
        }
    }

    private MailMessage() {}

    /**
     * The whole message, headers and body.
     *
     * @param date the origination date, as {@link #DATE} wrote it when the action was planned
     */
    static String compose(String from, String fromName, List<String> to, String subject, String date,
            String actionId, String alertId, String body, BodyEncoding encoding) {
        StringBuilder m = new StringBuilder();
        m.append("Date: ").append(date.replaceAll("[\\x00-\\x1f\\x7f]", " ")).append(CRLF);
        m.append("From: ").append(mailbox(fromName, from)).append(CRLF);
        m.append(addressList("To", to));
        m.append(subject(subject));
        m.append("Message-ID: ").append(messageId(actionId, MailAddress.domainOf(from))).append(CRLF);
        m.append("MIME-Version: 1.0").append(CRLF);
        m.append("Content-Type: text/plain; charset=UTF-8").append(CRLF);
        m.append("Content-Transfer-Encoding: ").append(encoding.header).append(CRLF);
        // RFC 3834: no vacation or out-of-office answers to a machine.
        m.append("Auto-Submitted: auto-generated").append(CRLF);
        m.append("X-Amoskys-Action-Id: ").append(printable(actionId)).append(CRLF);
        m.append("X-Amoskys-Alert-Id: ").append(printable(alertId)).append(CRLF);
        m.append(CRLF);
        m.append(encoding == BodyEncoding.BASE64 ? base64(body) : quotedPrintable(body));
        return m.toString();
    }

    static String date(Instant instant) {
        return DATE.format(instant);
    }

    /**
     * The same for every attempt of one action, so a message sent again after a crash (the server
     * took it, the platform never learnt) is recognisably the same message.
     */
    static String messageId(String actionId, String domain) {
        String left = SAFE_ID.matcher(actionId).matches() && actionId.length() <= 128 ? actionId : sha256(actionId);
        return "<amoskys." + left + "@" + domain + ">";
    }

    private static String mailbox(String name, String address) {
        if (name == null || name.isBlank()) {
            return address;
        }
        if (ascii(name)) {
            return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + address + ">";
        }
        return encodedWords(name) + CRLF + " <" + address + ">";
    }

    private static String addressList(String header, List<String> addresses) {
        StringBuilder out = new StringBuilder(header).append(": ");
        int lineLength = out.length();
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i) + (i + 1 < addresses.size() ? "," : "");
            if (i > 0 && lineLength + 1 + a.length() > LINE) {
                out.append(CRLF);
                lineLength = 0;
            }
            if (i > 0) {
                out.append(' ');
                lineLength++;
            }
            out.append(a);
            lineLength += a.length();
        }
        return out.append(CRLF).toString();
    }

    /** The Subject header: folded at spaces when it is ASCII, else as encoded-words one per line. */
    static String subject(String subject) {
        String oneLine = subject.replaceAll("[\\x00-\\x1f\\x7f]", " ").strip();
        if (!ascii(oneLine)) {
            return "Subject: " + encodedWords(oneLine) + CRLF;
        }
        StringBuilder out = new StringBuilder("Subject:");
        int lineLength = out.length();
        boolean lineHasWord = false;
        for (String word : oneLine.split(" ", -1)) {
            if (lineHasWord && lineLength + 1 + word.length() > LINE) {
                out.append(CRLF);
                lineLength = 0;
            }
            out.append(' ').append(word);
            lineLength += 1 + word.length();
            lineHasWord = true;
        }
        return out.append(CRLF).toString();
    }

    /** RFC 2047 B encoding of UTF-8, split between code points, each word on its own folded line. */
    static String encodedWords(String text) {
        StringBuilder out = new StringBuilder();
        byte[] chunk = new byte[WORD_BYTES];
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            if (used + bytes.length > WORD_BYTES) {
                word(out, chunk, used);
                used = 0;
            }
            System.arraycopy(bytes, 0, chunk, used, bytes.length);
            used += bytes.length;
            i += Character.charCount(cp);
        }
        if (used > 0 || out.length() == 0) {
            word(out, chunk, used);
        }
        return out.toString();
    }

    private static void word(StringBuilder out, byte[] chunk, int length) {
        if (out.length() > 0) {
            out.append(CRLF).append(' ');
        }
        byte[] bytes = java.util.Arrays.copyOf(chunk, length);
        out.append("=?UTF-8?B?").append(Base64.getEncoder().encodeToString(bytes)).append("?=");
    }

    /** RFC 2045 quoted-printable of the UTF-8 text; its line breaks become CRLF. */
    static String quotedPrintable(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : lines(text)) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            int lineLength = 0;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                boolean last = i == bytes.length - 1;
                boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last);
                String piece = literal ? String.valueOf((char) b) : "=" + HexFormat.of().withUpperCase().toHexDigits((byte) b);
                // Room for the piece plus a soft break "=" within 76 characters, unless it ends the line.
                int room = last ? 76 : 75;
                if (lineLength + piece.length() > room) {
                    out.append('=').append(CRLF);
                    lineLength = 0;
                }
                out.append(piece);
                lineLength += piece.length();
            }
            out.append(CRLF);
        }
        return out.toString();
    }

    static String base64(String text) {
        String normalised = String.join(CRLF, lines(text)) + CRLF;
        return Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII))
                .encodeToString(normalised.getBytes(StandardCharsets.UTF_8)) + CRLF;
    }

    /** The text's lines, whatever their ending; a final line break adds no empty line. */
    private static List<String> lines(String text) {
        List<String> lines = List.of(text.split("\r\n|\r|\n", -1));
        return lines.size() > 1 && lines.get(lines.size() - 1).isEmpty() ? lines.subList(0, lines.size() - 1) : lines;
    }

    private static boolean ascii(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** Header-safe: printable ASCII only, anything else a '?'. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> out.append(c >= 0x21 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
