package io.amoskys.response.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/** The guardrail settings of {@link ResponseConfig}, checked and in plain types. */
record Guardrails(Allowlist allowlist, Set<String> approval, Duration approvalTimeout, int ratePerMinute,
        int globalRatePerMinute, int breakerFailures, Duration breakerCooldown, int maxAttempts, Duration retryBase,
        Duration retryMax, int workers, int maxWaiting, Duration attemptTimeout, Duration retain) {

    /** @throws IllegalArgumentException naming the first setting that is wrong */
    static Guardrails of(ResponseConfig c) {
        positive(c.approvalTimeoutSeconds(), "approvalTimeoutSeconds");
        positive(c.ratePerMinute(), "ratePerMinute");
        positive(c.globalRatePerMinute(), "globalRatePerMinute");
        positive(c.breakerFailures(), "breakerFailures");
        positive(c.breakerCooldownSeconds(), "breakerCooldownSeconds");
        positive(c.maxAttempts(), "maxAttempts");
        positive(c.retryBaseSeconds(), "retryBaseSeconds");
        positive(c.retryMaxSeconds(), "retryMaxSeconds");
        positive(c.workers(), "workers");
        positive(c.maxWaiting(), "maxWaiting");
        positive(c.attemptTimeoutSeconds(), "attemptTimeoutSeconds");
        positive(c.retainDays(), "retainDays");
        if (c.retryMaxSeconds() < c.retryBaseSeconds()) {
            throw new IllegalArgumentException("retryMaxSeconds (" + c.retryMaxSeconds() + ") is below retryBaseSeconds ("
                    + c.retryBaseSeconds() + ")");
        }
        Allowlist allowlist = new Allowlist(Allowlist.parse(c.allow()), c.allowGateways(), Path.of("/proc/net"));
        Set<String> approval = new TreeSet<>();
        Arrays.stream(c.approval()).map(String::trim).filter(s -> !s.isEmpty()).forEach(approval::add);
        return new Guardrails(allowlist, Set.copyOf(approval), Duration.ofSeconds(c.approvalTimeoutSeconds()),
                c.ratePerMinute(), c.globalRatePerMinute(), c.breakerFailures(), Duration.ofSeconds(c.breakerCooldownSeconds()),
                c.maxAttempts(), Duration.ofSeconds(c.retryBaseSeconds()), Duration.ofSeconds(c.retryMaxSeconds()),
                Math.min(c.workers(), 64), c.maxWaiting(), Duration.ofSeconds(c.attemptTimeoutSeconds()),
                Duration.ofDays(c.retainDays()));
    }

    boolean needsApproval(String responder) {
        return approval.contains("*") || approval.contains(responder);
    }

    /** The wait before attempt {@code attempts + 1}: doubling from retryBase, at most retryMax. */
    long retryDelayMs(int attempts) {
        long base = retryBase.toMillis();
        int doublings = Math.min(Math.max(0, attempts - 1), 20);
        return Math.min(retryMax.toMillis(), base << doublings);
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
