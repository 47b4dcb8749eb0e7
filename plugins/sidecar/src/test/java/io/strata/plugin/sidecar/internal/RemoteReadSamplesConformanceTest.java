package io.strata.plugin.sidecar.internal;

/**
 * The StoreAPI kit against a real Prometheus asked for SAMPLES (the fallback for servers without
 * streamed chunks): the samples are re-encoded, so only the decoded samples are held to the kit.
 */
final class RemoteReadSamplesConformanceTest extends RemoteReadConformanceTest {
    @Override
    RemoteReadChunkSource.ResponseType responseType() {
        return RemoteReadChunkSource.ResponseType.SAMPLES;
    }

    @Override
    protected boolean passesChunkBytesThrough() {
        return false;
    }
}
