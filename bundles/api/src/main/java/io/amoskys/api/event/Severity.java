package io.amoskys.api.event;

/** How urgently an alert needs a person, lowest first. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
}
