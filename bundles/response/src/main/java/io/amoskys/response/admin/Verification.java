package io.amoskys.response.admin;

/** The result of checking every receipt's hash chain and signature. */
public class Verification {
    public long receipts;
    public boolean intact;
    /** The first receipt that fails, or -1. */
    public long firstBrokenSeq = -1;
    /** Why it fails, or empty. */
    public String problem = "";
    public String keyId;
    public String lastHash;
    /** Receipts up to this one were removed by retention (amoskys:actions verify starts after it), or 0. */
    public long prunedThroughSeq;
}
