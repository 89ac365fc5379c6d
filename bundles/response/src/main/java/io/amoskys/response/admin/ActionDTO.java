package io.amoskys.response.admin;

import java.util.Map;

/** One action as the queue keeps it. */
public class ActionDTO {
    public String id;
    public String responder;
    public String alertId;
    public String rule;
    public String entity;
    public String verb;
    /** {@code address:10.0.0.9}, {@code recipient:https://…} */
    public String target;
    public String description;
    /** Null in lists ({@code ResponseAdmin.actions}): one action's view has them. */
    public Map<String, String> parameters;
    /** Milliseconds the action lasts before it is undone; 0 until undone by hand. */
    public long lastsMs;
    public ActionState state;
    /** {@code do} until the action has run, then {@code undo} while its undo waits or runs. */
    public String phase;
    public int attempts;
    public long createdMs;
    /** When the action next moves by itself (attempt, approval expiry, undo); 0 when never. */
    public long dueMs;
    public long changedMs;
    /** The last outcome, or why it was refused. */
    public String output;
    /** Who approved, rejected or undid it. */
    public String decidedBy;
}
