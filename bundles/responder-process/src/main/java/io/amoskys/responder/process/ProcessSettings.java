package io.amoskys.responder.process;

import java.io.File;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * The responder's configuration, checked. Invalid values are reported by {@link #problems()}
 * rather than thrown, so the platform can say why it refuses to arm.
 */
final class ProcessSettings {
    enum Mode {
        SUSPEND("suspend"), KILL("kill");

        final String verb;

        Mode(String verb) {
            this.verb = verb;
        }
    }

    final Mode mode;
    final long suspendSeconds;
    /** {@code null}: the pid comes from the alert's entity. */
    final String groupByKey;
    final List<String> allowedGlobs = new ArrayList<>();
    private final List<PathMatcher> allowed = new ArrayList<>();
    final int graceSeconds;
    final int verifySeconds;
    final String killPath;
    private final List<String> staticProblems = new ArrayList<>();

    ProcessSettings(ProcessConfig c) {
        mode = mode(text(c.mode()));
        suspendSeconds = c.suspendSeconds();
        if (suspendSeconds <= 0) {
            staticProblems.add("suspendSeconds must be positive, was " + suspendSeconds);
        }
        groupByKey = pidFrom(text(c.pidFrom()));
        for (String glob : c.allowedExecutables() == null ? new String[0] : c.allowedExecutables()) {
            allow(glob.strip());
        }
        graceSeconds = c.graceSeconds();
        if (graceSeconds <= 0) {
            staticProblems.add("graceSeconds must be positive, was " + graceSeconds);
        }
        verifySeconds = c.verifySeconds();
        if (verifySeconds <= 0) {
            staticProblems.add("verifySeconds must be positive, was " + verifySeconds);
        }
        killPath = text(c.killPath());
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    private Mode mode(String value) {
        for (Mode m : Mode.values()) {
            if (m.verb.equals(value)) {
                return m;
            }
        }
        staticProblems.add("mode '" + value + "' is neither suspend nor kill");
        return Mode.SUSPEND;
    }

    private String pidFrom(String value) {
        if (value.equals("entity")) {
            return null;
        }
        if (value.startsWith("groupBy:") && value.length() > "groupBy:".length()) {
            return value.substring("groupBy:".length());
        }
        staticProblems.add("pidFrom '" + value + "' is neither 'entity' nor 'groupBy:KEY'");
        return null;
    }

    private void allow(String glob) {
        if (glob.isEmpty()) {
            return;
        }
        if (!glob.startsWith("/")) {
            staticProblems.add("allowedExecutables entry '" + glob + "' is no absolute path glob");
            return;
        }
        try {
            allowed.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            allowedGlobs.add(glob);
        } catch (PatternSyntaxException e) {
            staticProblems.add("allowedExecutables entry '" + glob + "' is no valid glob: " + e.getDescription()
                    + " at index " + e.getIndex());
        }
    }

    /** Whether the configuration lets the responder act on a process running this executable. */
    boolean allows(String executable) {
        if (allowed.isEmpty()) {
            return true;
        }
        Path path = Path.of(ProcEntry.withoutDeletedMark(executable));
        return allowed.stream().anyMatch(m -> m.matches(path));
    }

    /** What is wrong now: the checks of the configuration plus the kill command as it is. */
    List<String> problems() {
        List<String> out = new ArrayList<>(staticProblems);
        File kill = new File(killPath);
        if (!kill.isAbsolute()) {
            out.add("killPath '" + killPath + "' is not an absolute path");
        } else if (!kill.isFile() || !kill.canExecute()) {
            out.add("kill not found or not executable at " + killPath + " (install procps or set killPath)");
        }
        return out;
    }
}
