package io.amoskys.api.admin;

/**
 * One thing an agent watches (an SNMP device, an MQTT sensor, a host) and how it is doing, for
 * {@code amoskys:devices}, the REST API and the dashboard.
 *
 * @since 1.2
 */
public class DeviceDTO {
    /** The agent that watches it: {@code snmp}, {@code mqtt}, ... */
    public String agent;
    /** The device or sensor name (the entity id of its events). */
    public String name;
    /** Where it is reached: {@code udp:10.0.0.1/161}, a topic, ... */
    public String address;
    /** {@code up}, {@code down} (not answering), {@code error} (answering with errors), {@code unknown} (not tried yet). */
    public String state;
    /** Epoch milliseconds of the last successful poll or message; 0 if none. */
    public long lastSeenMillis;
    /** Latency of the last poll in milliseconds; -1 where it does not apply. */
    public double latencyMillis = -1;
    /** Events per second over the last minute. */
    public double eventsPerSecond;
    /** Errors since the device was configured, and the last one in words (null if none). */
    public long errors;
    public String lastError;
}
