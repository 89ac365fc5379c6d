package io.amoskys.api.admin;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The YAML route files under {@code etc/amoskys/routes/} and what became of each. */
@ProviderType
public interface RouteFiles {
    /** The route folder being watched. */
    String directory();

    /** Every route file seen, loaded or rejected. */
    List<RouteFileDTO> files();

    /** Reads every route file again now and returns the outcome. */
    List<RouteFileDTO> reloadAll();
}
