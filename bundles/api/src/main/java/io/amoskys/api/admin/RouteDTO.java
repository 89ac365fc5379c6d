package io.amoskys.api.admin;

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
}
