package io.amoskys.api.admin;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An agent's devices and their health: register one as a service and {@code amoskys:devices}
 * lists what it returns.
 *
 * @since 1.2
 */
@ConsumerType
public interface DeviceHealthSource {
    /** A snapshot, one entry per device; must be quick. */
    List<DeviceDTO> devices();
}
