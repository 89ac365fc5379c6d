package io.amoskys.bus.internal;

/** A refused envelope on its way to the quarantine table. */
record Rejected(long receivedMillis, Verdict verdict, String peer, byte[] bytes) implements WalWork {}
