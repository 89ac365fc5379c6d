package io.amoskys.response.admin;

/** One signed, chained receipt: what was asked, what ran and how it ended. */
public class ReceiptDTO {
    public long seq;
    public String actionId;
    public long atMs;
    /** planned, would-have, refused, approved, rejected, expired, executed, failed, retry, undone, armed, disarmed, ... */
    public String kind;
    /** The receipt's JSON, exactly as hashed and signed. */
    public String body;
    public String previousHash;
    public String hash;
    public String signature;
    public String keyId;
}
