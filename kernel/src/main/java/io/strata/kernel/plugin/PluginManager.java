package io.strata.kernel.plugin;

import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.PluginContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of loaded plugins and their factories, fed by one or more hosts. Plugins may come
 * and go while the process runs (OSGi host): a plugin that goes away is stopped and everything
 * registered on its behalf (routes, gRPC services, metrics, components) is withdrawn.
 */
public final class PluginManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginManager.class);
    private final Map<String, LoadedPlugin> plugins = new ConcurrentHashMap<>();
    private final Map<String, List<AutoCloseable>> owned = new ConcurrentHashMap<>();
    private final List<PluginHost> hosts = new CopyOnWriteArrayList<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private volatile Function<LoadedPlugin, PluginContext> activator;

    /** Starts a host; plugins it finds now are loaded before this returns. */
    public void addHost(PluginHost host) throws Exception {
        hosts.add(host);
        host.start(this);
    }

    /** Called by hosts when a plugin appears. A plugin whose id is already loaded is replaced. */
    public void added(LoadedPlugin p) {
        LoadedPlugin previous = plugins.put(p.id(), p);
        if (previous != null) {
            deactivate(previous);
        }
        LOG.info("loaded plugin {} {} from {} ({} host) with factories {}", p.id(), p.version(), p.source(), p.host(), p.factories());
        Function<LoadedPlugin, PluginContext> a = activator;
        if (a != null) {
            activate(p, a);
        }
        changeListeners.forEach(Runnable::run);
    }

    /** Called by hosts when a plugin goes away. */
    public void removed(String id) {
        LoadedPlugin p = plugins.remove(id);
        if (p != null) {
            deactivate(p);
            LOG.info("withdrew plugin {}", id);
            changeListeners.forEach(Runnable::run);
        }
    }

    /** Starts every plugin (and every later one) with a context from {@code activator}. */
    public void activate(Function<LoadedPlugin, PluginContext> contextFactory) {
        this.activator = contextFactory;
        for (LoadedPlugin p : sorted()) {
            activate(p, contextFactory);
        }
    }

    private void activate(LoadedPlugin p, Function<LoadedPlugin, PluginContext> contextFactory) {
        try {
            p.plugin().start(contextFactory.apply(p));
        } catch (Exception | LinkageError e) {
            LOG.error("plugin {} failed to start; its factories stay available", p.id(), e);
        }
    }

    private void deactivate(LoadedPlugin p) {
        List<AutoCloseable> resources = owned.remove(p.id());
        if (resources != null) {
            for (int i = resources.size() - 1; i >= 0; i--) {
                AutoCloseable r = resources.get(i);
                try {
                    r.close();
                } catch (Exception e) {
                    LOG.warn("closing a resource of plugin {} failed", p.id(), e);
                }
            }
        }
        try {
            p.plugin().stop();
        } catch (Exception | LinkageError e) {
            LOG.warn("plugin {} failed to stop cleanly", p.id(), e);
        }
    }

    /** Records something to close when the plugin {@code id} goes away. */
    public void own(String pluginId, AutoCloseable resource) {
        owned.computeIfAbsent(pluginId, k -> new CopyOnWriteArrayList<>()).add(resource);
    }

    /** Called whenever the set of plugins changes. */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /** The factory for a kind and type, with the plugin that offers it. */
    public <T> Found<T> find(Class<T> kind, String type, String where) {
        for (LoadedPlugin p : sorted()) {
            for (Factory<?> f : p.factories()) {
                if (f.kind() == kind && f.type().equals(type)) {
                    @SuppressWarnings("unchecked")
                    Factory<T> typed = (Factory<T>) f;
                    return new Found<>(typed, p);
                }
            }
        }
        // Kinds loaded by another class loader (a plugin with its own copy of the api) do not count.
        throw UnknownTypeException.of(kind, type, types(kind), where);
    }

    /** A factory and its plugin. */
    public record Found<T>(Factory<T> factory, LoadedPlugin plugin) {
    }

    /** Type names offered for a kind, sorted. */
    public List<String> types(Class<?> kind) {
        TreeSet<String> out = new TreeSet<>();
        for (LoadedPlugin p : plugins.values()) {
            for (Factory<?> f : p.factories()) {
                if (f.kind() == kind) {
                    out.add(f.type());
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Loaded plugins sorted by id. */
    public List<LoadedPlugin> sorted() {
        List<LoadedPlugin> out = new ArrayList<>(plugins.values());
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }

    public boolean has(String id) {
        return plugins.containsKey(id);
    }

    /** Reads a plugin's factories, guarding against a broken implementation. */
    public static List<Factory<?>> factoriesOf(Plugin plugin) {
        List<Factory<?>> f = plugin.factories();
        return f == null ? List.of() : f;
    }

    @Override
    public void close() {
        List<LoadedPlugin> all = sorted();
        for (int i = all.size() - 1; i >= 0; i--) {
            deactivate(all.get(i));
        }
        plugins.clear();
        for (PluginHost h : hosts) {
            h.close();
        }
    }
}
