package io.amoskys.responder.nftables;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "AMOSKYS nftables responder",
        description = "Blocks an alert's address in a named nftables set with a timeout. The table is the "
                + "responder's own: it is (re)built to match this configuration on every block.")
public @interface NftablesConfig {
    @AttributeDefinition(description = "The nft command (an absolute path)")
    String nftPath() default "/usr/sbin/nft";

    @AttributeDefinition(description = "Name of the responder's own table (family inet); nft identifier: "
            + "a letter, then letters, digits or _")
    String table() default "amoskys";

    @AttributeDefinition(description = "Name of the set of blocked IPv4 addresses in that table")
    String set4() default "blocked4";

    @AttributeDefinition(description = "Name of the set of blocked IPv6 addresses in that table")
    String set6() default "blocked6";

    @AttributeDefinition(description = "Hooks whose chain drops packets from blocked addresses: any of "
            + "prerouting, input, forward")
    String[] hooks() default {"input", "forward"};

    @AttributeDefinition(description = "Priority of those chains; below 0 runs before the usual filter chains")
    int priority() default -10;

    /** Property {@code interface} (a keyword in Java: DS drops the single {@code $}). */
    @AttributeDefinition(name = "Interface", description = "Drop only packets arriving on this interface (name); empty: on any")
    String interface$() default "";

    @AttributeDefinition(description = "How long a block lasts, in seconds; the kernel removes it by itself then")
    long blockSeconds() default 600;

    @AttributeDefinition(description = "Where the address comes from: 'entity' (the alert's entity, "
            + "'host:ADDRESS' or a bare address) or 'groupBy:KEY' (the value the rule grouped by KEY)")
    String addressFrom() default "entity";

    @AttributeDefinition(description = "Longest time one nft run may take, in seconds; then it is killed and retried")
    int commandTimeoutSeconds() default 10;

    @AttributeDefinition(description = "For tests and containers only: words run before nft, such as "
            + "'ip', 'netns', 'exec', 'NAME' to act inside a network namespace. The interface check is "
            + "skipped then, as interfaces of another namespace are not visible here")
    String[] commandPrefix() default {};
}
