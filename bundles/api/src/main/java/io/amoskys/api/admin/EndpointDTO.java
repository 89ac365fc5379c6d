package io.amoskys.api.admin;

/**
 * One {@code amoskys:KIND/NAME} endpoint. While its plugin is missing, messages are held in a
 * bounded buffer; past its capacity they are dead-lettered. Nothing is dropped uncounted.
 */
public class EndpointDTO {
    public String uri;
    public String kind;
    public String name;
    /** Whether a plugin serves the endpoint now. */
    public boolean available;
    /** Messages handed to the plugin; for an agent, the events it delivered to routes. */
    public long delivered;
    /** Messages the plugin answered with nothing to pass on (not an error). */
    public long filtered;
    /** Messages the plugin failed on. */
    public long failed;
    /** Messages waiting now for the plugin to come back. */
    public int held;
    /** The most that may wait. */
    public int holdCapacity;
    /** Messages that could not wait and went to the dead-letter store. */
    public long deadLettered;
}
