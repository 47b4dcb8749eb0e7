package io.strata.kernel.server;

import com.typesafe.config.Config;
import io.strata.api.http.HttpHandler;
import io.strata.api.metrics.Metrics;
import io.strata.api.objstore.Bucket;
import io.strata.api.plugin.PluginContext;
import io.strata.kernel.objstore.ObjstoreSettings;
import io.strata.kernel.objstore.PrefixedBucket;
import io.strata.kernel.config.Settings;
import io.strata.kernel.plugin.PluginManager;
import java.nio.file.Path;
import java.util.List;

/** The context the kernel hands a plugin or a component it creates. */
public final class KernelContext implements PluginContext {
    private final Kernel kernel;
    private final String owner;
    private final Config config;
    private final Metrics metrics;

    public KernelContext(Kernel kernel, String owner, Config config) {
        this.kernel = kernel;
        this.owner = owner;
        this.config = config;
        this.metrics = kernel.metrics().scope();
        kernel.plugins().own(owner, metrics::removeAll);
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Config rootConfig() {
        return kernel.config();
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public Path dataDirectory() {
        return kernel.dataDirectory();
    }

    @Override
    public Registration route(String path, HttpHandler handler) {
        return owned(kernel.http().route(path, handler));
    }

    @Override
    public Registration grpcService(Object service) {
        return owned(kernel.grpc().service(service));
    }

    private Registration owned(Registration r) {
        kernel.plugins().own(owner, r);
        return r;
    }

    @Override
    public <T> T create(Class<T> kind, Config given) throws Exception {
        Config componentConfig = kind == Bucket.class ? ObjstoreSettings.effective(given) : given;
        String type = Settings.string(componentConfig, "type");
        PluginManager.Found<T> found = kernel.plugins().find(kind, type, Settings.where(componentConfig, "type"));
        Config sub = componentConfig.hasPath(quoted(type)) && componentConfig.getValue(quoted(type)).valueType()
                == com.typesafe.config.ConfigValueType.OBJECT ? componentConfig.getConfig(quoted(type)) : componentConfig;
        T component = found.factory().create(new KernelContext(kernel, found.plugin().id(), sub));
        if (component instanceof Bucket bucket && !ObjstoreSettings.prefix(componentConfig).isEmpty()) {
            component = kind.cast(new PrefixedBucket(bucket, ObjstoreSettings.prefix(componentConfig)));
        }
        if (component instanceof AutoCloseable c) {
            kernel.plugins().own(found.plugin().id(), c);
        }
        return component;
    }

    private static String quoted(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }

    @Override
    public List<String> types(Class<?> kind) {
        return kernel.plugins().types(kind);
    }
}
