package io.strata.plugin.example.memorybucket;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.strata.api.objstore.Bucket;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.PluginContext;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * An example third-party plugin: offers the {@code memory} {@link Bucket} type and serves
 * {@value #ROUTE}, which reports the buckets it created.
 *
 * <p>The factory reads {@code memory.name} and {@code memory.max-object-size} from the object
 * storage block it is given ({@code strata.objstore { type = memory }}), or {@code name} and
 * {@code max-object-size} when handed the {@code memory} block itself; the defaults are in this
 * plugin's reference.conf.
 */
public final class MemoryBucketPlugin implements Plugin {
    /** The type name that selects this bucket. */
    public static final String TYPE = "memory";
    /** The status route. */
    public static final String ROUTE = "/example/memory-bucket";

    private final Set<MemoryBucket> buckets = new CopyOnWriteArraySet<>();
    private volatile PluginContext.Registration route;

    @Override
    public String name() {
        return "example-memory-bucket";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(Factory.of(Bucket.class, TYPE, context -> createBucket(context.config())));
    }

    @Override
    public void start(PluginContext context) {
        Objects.requireNonNull(context, "context");
        route = context.route(ROUTE, new MemoryBucketStatusRoute(buckets));
    }

    @Override
    public void stop() {
        PluginContext.Registration registration = route;
        route = null;
        if (registration != null) {
            registration.close();
        }
    }

    /** A bucket from an object storage block (or its {@code memory} block), tracked until it is closed. */
    MemoryBucket createBucket(Config config) {
        Objects.requireNonNull(config, "config");
        String prefix = config.hasPath(TYPE) ? TYPE + "." : "";
        String name = config.getString(prefix + "name");
        long maxObjectBytes = config.getBytes(prefix + "max-object-size");
        MemoryBucket bucket;
        try {
            bucket = new MemoryBucket(name, maxObjectBytes, buckets::remove);
        } catch (IllegalArgumentException invalid) {
            throw new ConfigException.BadValue(config.origin(), prefix + "name or " + prefix
                    + "max-object-size", invalid.getMessage());
        }
        buckets.add(bucket);
        return bucket;
    }
}
