package io.amoskys.bus.internal;

/** What the log's writer thread takes from its one bounded queue. */
sealed interface WalWork permits Append, Rejected {}
