package io.amoskys.api.admin;

import java.util.List;

/** One Camel route of the platform context. */
public class RouteDTO {
    public String id;
    /** The route file it came from, or {@code null} for routes made in code. */
    public String source;
    /** Camel's route status: Started, Stopped, ... */
    public String state;
    public String from;
    public long exchangesTotal;
    public long exchangesFailed;
    public long exchangesInflight;
    /**
     * The route's steps after its {@code from}, as its file declares them, each with its counters;
     * empty for a route made without a model.
     *
     * @since 1.5
     */
    public List<StepDTO> steps = List.of();
}
