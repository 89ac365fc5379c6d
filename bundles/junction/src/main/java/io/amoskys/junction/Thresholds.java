package io.amoskys.junction;

/** The score at which a detector would flag: its model's shipped threshold, or a configured one. */
@FunctionalInterface
interface Thresholds {
    double of(String detector);
}
