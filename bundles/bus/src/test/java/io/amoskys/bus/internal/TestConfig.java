package io.amoskys.bus.internal;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

/** A {@link BusConfig} for tests: the defaults, with folders and retention chosen by the test. */
class TestConfig implements BusConfig {
    final Path dir;
    long retentionMaxBytes = 1L << 30;
    int batch = 512;

    TestConfig(Path dir) {
        this.dir = dir;
    }

    @Override public Class<? extends Annotation> annotationType() { return BusConfig.class; }
    @Override public String logDir() { return dir.resolve("data").toString(); }
    @Override public String trustDir() { return dir.resolve("etc").toString(); }
    @Override public int maxEnvelopeBytes() { return 1 << 20; }
    @Override public int maxEventsPerEnvelope() { return 10_000; }
    @Override public long replayWindowSeconds() { return 3600; }
    @Override public long maxClockSkewSeconds() { return 300; }
    @Override public int queueCapacity() { return 1024; }
    @Override public long queueMaxBytes() { return 64L << 20; }
    @Override public int maxCommitEnvelopes() { return 1000; }
    @Override public long retentionHours() { return 24; }
    @Override public long retentionMaxBytes() { return retentionMaxBytes; }
    @Override public int quarantineMaxRows() { return 100; }
    @Override public int localBatchEvents() { return batch; }
    @Override public int localLingerMillis() { return 5; }
    @Override public int localBufferEvents() { return 1000; }
}
