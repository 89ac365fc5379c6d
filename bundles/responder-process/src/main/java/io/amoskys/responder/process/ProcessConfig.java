package io.amoskys.responder.process;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "AMOSKYS process responder",
        description = "Suspends or kills the local process an alert names, after checking that its pid still "
                + "belongs to the process (start time and executable hash) the action was planned for.")
public @interface ProcessConfig {
    @AttributeDefinition(description = "suspend (SIGSTOP, resumed by SIGCONT when the action is undone) or kill "
            + "(SIGTERM, then SIGKILL after graceSeconds; cannot be undone)")
    String mode() default "suspend";

    @AttributeDefinition(description = "How long a suspension lasts, in seconds, before the platform resumes the process")
    long suspendSeconds() default 300;

    @AttributeDefinition(description = "Where the pid comes from: 'groupBy:KEY' (the value the rule grouped by KEY) "
            + "or 'entity' (a process entity process:HOST:PID:STARTTICKS, as the process agent names them, or a bare pid)")
    String pidFrom() default "groupBy:pid";

    @AttributeDefinition(description = "Absolute path globs (/usr/bin/*, /tmp/**) of the executables that may be "
            + "acted on; empty: any")
    String[] allowedExecutables() default {};

    @AttributeDefinition(description = "Seconds a killed process has to exit after SIGTERM before SIGKILL")
    int graceSeconds() default 5;

    @AttributeDefinition(description = "Seconds to wait for a signal's effect (stopped, running again, gone)")
    int verifySeconds() default 5;

    @AttributeDefinition(description = "The kill command (an absolute path)")
    String killPath() default "/bin/kill";
}
