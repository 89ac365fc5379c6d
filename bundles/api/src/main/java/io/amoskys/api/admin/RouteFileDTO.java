package io.amoskys.api.admin;

import java.util.List;

/** One YAML route file and the outcome of its last load. */
public class RouteFileDTO {
    /** The file's name within the route folder. */
    public String file;
    /** {@code LOADED} or {@code REJECTED}. */
    public String state;
    /** The ids of the routes the file runs now (for a rejected file, its previous good routes). */
    public List<String> routeIds;
    /** Why it was rejected, naming file and line where known; {@code null} when loaded. */
    public String error;
    /** Milliseconds since the epoch of the last load attempt. */
    public long loadedAt;
}
