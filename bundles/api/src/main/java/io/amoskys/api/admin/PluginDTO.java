package io.amoskys.api.admin;

/** One plugin service as the platform sees it. */
public class PluginDTO {
    /** {@code agent}, {@code stage}, {@code detector}, {@code rule} or {@code responder}. */
    public String kind;
    /** The name routes use. */
    public String name;
    /** The symbolic name and version of the bundle that registered it. */
    public String bundle;
    public long bundleId;
    public long serviceId;
    /** Whether routes would use this service now (false when shadowed by a higher ranking). */
    public boolean active;
}
