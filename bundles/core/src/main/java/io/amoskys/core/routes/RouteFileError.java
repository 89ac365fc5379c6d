package io.amoskys.core.routes;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/** Turns a failure to load a route file into one sentence naming the file and the line. */
final class RouteFileError {
    private static final Pattern LINE_IN_MESSAGE = Pattern.compile("line (\\d+)");

    private RouteFileError() {}

    static String describe(String fileName, String content, Throwable failure) {
        MarkedYamlEngineException yaml = deepestYamlError(failure);
        if (yaml != null) {
            int line = yaml.getProblemMark().or(yaml::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            String what = yaml.getProblem() == null ? yaml.getContext()
                    : yaml.getContext() == null ? yaml.getProblem() : yaml.getContext() + ": " + yaml.getProblem();
            return where(fileName, line) + ": " + firstLine(String.valueOf(what));
        }
        Throwable root = rootCause(failure);
        return where(fileName, line(failure, content)) + ": "
                + firstLine(root.getMessage() == null ? root.toString() : root.getMessage());
    }

    private static String where(String fileName, int line) {
        return line > 0 ? fileName + " line " + line : fileName + " (line unknown)";
    }

    private static MarkedYamlEngineException deepestYamlError(Throwable failure) {
        MarkedYamlEngineException deepest = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked) {
                deepest = marked;
            }
        }
        return deepest;
    }

    /** 1-based line of the failure, or 0 when it cannot be told. */
    private static int line(Throwable failure, String content) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String uri = t instanceof ResolveEndpointFailedException e ? e.getUri()
                    : t instanceof NoSuchEndpointException e ? e.getUri() : null;
            int line = uri == null ? 0 : lineContaining(content, uri);
            if (line > 0) {
                return line;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = LINE_IN_MESSAGE.matcher(t.getMessage());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return 0;
    }

    /** The line naming an endpoint, as written or as Camel normalised it ({@code x://} for {@code x:}). */
    private static int lineContaining(String content, String uri) {
        String withoutOptions = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        String asWritten = withoutOptions.replaceFirst("^([A-Za-z0-9+.-]+)://", "$1:");
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(withoutOptions) || lines[i].contains(asWritten)) {
                return i + 1;
            }
        }
        return 0;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }
}
