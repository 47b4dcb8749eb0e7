package io.strata.kernel.objstore;

import io.strata.api.objstore.Bucket;
import io.strata.api.objstore.ObjectAttributes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Consumer;

/** A bucket seen under a prefix, as Thanos's objstore {@code prefix:} setting does. */
public final class PrefixedBucket implements Bucket {
    private final Bucket inner;
    private final String prefix;

    public PrefixedBucket(Bucket inner, String prefix) {
        this.inner = Objects.requireNonNull(inner, "inner");
        String p = Objects.requireNonNull(prefix, "prefix");
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    private String full(String name) {
        return prefix + name;
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> consumer) throws IOException {
        inner.iter(full(dir), recursive, name -> consumer.accept(name.substring(prefix.length())));
    }

    @Override
    public InputStream get(String name) throws IOException {
        return inner.get(full(name));
    }

    @Override
    public InputStream getRange(String name, long offset, long length) throws IOException {
        return inner.getRange(full(name), offset, length);
    }

    @Override
    public boolean exists(String name) throws IOException {
        return inner.exists(full(name));
    }

    @Override
    public ObjectAttributes attributes(String name) throws IOException {
        return inner.attributes(full(name));
    }

    @Override
    public void upload(String name, InputStream content) throws IOException {
        inner.upload(full(name), content);
    }

    @Override
    public void delete(String name) throws IOException {
        inner.delete(full(name));
    }

    @Override
    public boolean isNotFound(Throwable error) {
        return inner.isNotFound(error);
    }

    @Override
    public String name() {
        return inner.name() + "/" + prefix;
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
