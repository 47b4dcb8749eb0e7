package io.strata.plugin.sidecar.internal;

import io.strata.api.objstore.Bucket;
import io.strata.api.objstore.ObjectAttributes;
import io.strata.api.objstore.ObjectNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** An in-memory bucket that remembers the order of uploads; uploads fail while {@link #failing} is set. */
final class RecordingBucket implements Bucket {
    final Map<String, byte[]> objects = new TreeMap<>();
    final List<String> uploads = new ArrayList<>();
    volatile boolean failing;

    @Override
    public synchronized void iter(String dir, boolean recursive, Consumer<String> consumer) {
        objects.keySet().stream().filter(k -> k.startsWith(dir)).forEach(consumer);
    }

    @Override
    public synchronized InputStream get(String name) throws IOException {
        byte[] b = objects.get(name);
        if (b == null) {
            throw new ObjectNotFoundException(name);
        }
        return new ByteArrayInputStream(b);
    }

    @Override
    public InputStream getRange(String name, long offset, long length) throws IOException {
        throw new UnsupportedOperationException("not used by the shipper");
    }

    @Override
    public synchronized boolean exists(String name) {
        return objects.containsKey(name);
    }

    @Override
    public ObjectAttributes attributes(String name) {
        throw new UnsupportedOperationException("not used by the shipper");
    }

    @Override
    public synchronized void upload(String name, InputStream content) throws IOException {
        if (failing) {
            throw new IOException("bucket unavailable");
        }
        objects.put(name, content.readAllBytes());
        uploads.add(name);
    }

    @Override
    public synchronized void delete(String name) throws IOException {
        if (objects.remove(name) == null) {
            throw new ObjectNotFoundException(name);
        }
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public void close() {
    }
}
