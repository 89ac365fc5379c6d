package io.amoskys.api.admin;

import java.util.List;

/**
 * One step of a route as its file declares it ({@code to}, {@code multicast}, {@code pipeline},
 * ...), with what passed through it since the platform started. Counts carry on when the route is
 * reloaded with the step at the same place.
 *
 * @since 1.5
 */
public class StepDTO {
    /** Where the step sits in its route: indexes from the route's first step down, {@code 5.2.0}. */
    public String path;
    /** Camel's id of the step in the running route ({@code to7}, {@code multicast2}). */
    public String id;
    /** The step's kind, as route files name it: {@code to}, {@code multicast}, {@code pipeline}, ... */
    public String kind;
    /** What the step does: the endpoint URI of a {@code to} (credentials masked), else the kind. */
    public String label;
    /** Exchanges that entered the step. */
    public long exchanges;
    /** Exchanges that left it without an exception. */
    public long completed;
    /** Exchanges that left it with an exception. */
    public long failed;
    /** Mean time an exchange spent in the step, sub-steps included, in microseconds; 0 before any left it. */
    public double meanMicros;
    /** The steps inside: a multicast's branches, a pipeline's steps, in their order. */
    public List<StepDTO> steps = List.of();
}
