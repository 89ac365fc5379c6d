package io.amoskys.responder.email;

import java.util.regex.Pattern;

/**
 * A mailbox as SMTP and the headers carry it: {@code local@domain}, with a dot-atom local part and
 * a domain of letters, digits and hyphens or an IPv4 literal. Quoted local parts, comments and
 * non-ASCII addresses are refused: they would need SMTPUTF8 or quoting that receivers handle badly.
 */
final class MailAddress {
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\[((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)]");

    private MailAddress() {}

    /** @return why the text is no usable address, or {@code null} when it is one */
    static String problem(String address) {
        if (address.isEmpty()) {
            return "is empty";
        }
        if (address.length() > 254) {
            return "is longer than 254 characters";
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return "is not local@domain";
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return "has a local part that is no dot-atom (letters, digits, !#$%&'*+/=?^_`{|}~- and single dots)";
        }
        return domainProblem(domain);
    }

    /** @return why the text is no domain (or IPv4 literal), or {@code null} when it is one */
    static String domainProblem(String domain) {
        if (IPV4_LITERAL.matcher(domain).matches()) {
            return null;
        }
        String[] labels = domain.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return "has a domain that is no host name (letters, digits, hyphens, dots) or [IPv4] literal";
            }
        }
        return null;
    }

    static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }
}
