package io.amoskys.response.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "AMOSKYS response guardrails",
        description = "What every action responder's actions pass before they run (docs/RESPONSE.md).")
public @interface ResponseConfig {
    @AttributeDefinition(description = "Folder of the action queue's Derby database; empty: ${karaf.data}/amoskys/response")
    String dbDir() default "";

    @AttributeDefinition(description = "The platform's receipt signing key (Ed25519, made at first start, owner-only); "
            + "empty: ${karaf.etc}/amoskys/response/receipts.key")
    String receiptKey() default "";

    @AttributeDefinition(description = "Addresses and ranges no action may ever target (CIDR or single addresses), "
            + "besides the platform's own addresses and its gateways")
    String[] allow() default {};

    @AttributeDefinition(description = "Never target the default gateways of this machine (read from /proc/net/route and ipv6_route)")
    boolean allowGateways() default true;

    @AttributeDefinition(description = "Responders whose actions wait for an operator's approval (names as in routes; * for all)")
    String[] approval() default {};

    @AttributeDefinition(description = "An action awaiting approval expires unapproved after this many seconds and never runs")
    long approvalTimeoutSeconds() default 900;

    @AttributeDefinition(description = "Most actions one responder may start per minute; more are refused (and receipted)")
    int ratePerMinute() default 30;

    @AttributeDefinition(description = "Most actions all responders together may start per minute; past it the circuit breaker opens")
    int globalRatePerMinute() default 120;

    @AttributeDefinition(description = "This many failed attempts in a row of one responder open that responder's circuit breaker")
    int breakerFailures() default 5;

    @AttributeDefinition(description = "An open circuit breaker closes again after this many seconds (or when an operator resets it)")
    long breakerCooldownSeconds() default 300;

    @AttributeDefinition(description = "Attempts per action (execution or undo) before it is receipted as failed")
    int maxAttempts() default 5;

    @AttributeDefinition(description = "First retry delay in seconds; each further retry waits twice as long, up to retryMaxSeconds")
    long retryBaseSeconds() default 2;

    @AttributeDefinition(description = "Longest wait between two attempts, in seconds")
    long retryMaxSeconds() default 300;

    @AttributeDefinition(description = "Actions executing at once (each on a worker thread of its own)")
    int workers() default 4;

    @AttributeDefinition(description = "Most actions waiting (approval, retry, queue); past it new actions are refused")
    int maxWaiting() default 10_000;

    @AttributeDefinition(description = "An attempt (execution or undo) without an outcome after this many seconds is "
            + "abandoned and counts as failed, so a hung receiver cannot hold the workers; above every responder's own timeouts")
    long attemptTimeoutSeconds() default 120;

    @AttributeDefinition(description = "Finished actions and their receipts older than this many days are removed; "
            + "a signed 'pruned' receipt keeps the chain verifiable from where it then starts")
    int retainDays() default 90;
}
