package io.amoskys.api.alert;

import java.util.List;

/** A score kept as an alert's evidence. */
public class AlertScoreDTO {
    public String detector;
    public String modelVersion;
    public String entity;
    /** Event time, epoch nanoseconds. */
    public long timestampNanos;
    public double value;
    /** The events the score came from (the first ones). */
    public List<String> eventIds;
    /** The features that contributed most, largest first. */
    public List<ContributionDTO> contributions;
}
