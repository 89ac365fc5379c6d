package io.amoskys.response.admin;

import java.util.List;

/** One action responder as the guardrails see it. */
public class ResponderDTO {
    public String name;
    public boolean armed;
    public String armedBy;
    public long armedChangedMs;
    public boolean approvalRequired;
    public boolean undoable;
    /** Why it cannot be armed; empty when its configuration is sound. */
    public List<String> problems;
    /** Whether a responder of this name is installed now (arming outlives an uninstall). */
    public boolean present;
}
