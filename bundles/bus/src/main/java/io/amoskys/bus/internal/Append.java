package io.amoskys.bus.internal;

import io.amoskys.schema.v1.Ack;
import java.util.concurrent.CompletableFuture;

/** A verified envelope waiting for its group commit. */
record Append(Verdict verdict, byte[] bytes, String peer, long receivedNanos, CompletableFuture<Ack> done) implements WalWork {}
