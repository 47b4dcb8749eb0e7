package io.strata.kernel.plugin.osgi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.strata.api.plugin.Plugin;
import io.strata.kernel.plugin.ExportedPackages;
import io.strata.kernel.plugin.LoadedPlugin;
import io.strata.kernel.plugin.PluginHost;
import io.strata.kernel.plugin.PluginManager;
import io.strata.kernel.server.BuildInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an embedded Apache Felix framework over the bundles in the plugin directory. It acts as
 * an extender: a started bundle that lists a {@link Plugin} in
 * {@code META-INF/services/io.strata.api.plugin.Plugin} gets it instantiated and registered as an
 * OSGi service; the host consumes Plugin services from the registry (so a bundle may also register
 * one itself). The directory is watched: jars added, replaced or removed while running are
 * installed, updated or uninstalled, and their plugins appear and disappear with them.
 */
public final class OsgiPluginHost implements PluginHost {
    private static final Logger LOG = LoggerFactory.getLogger(OsgiPluginHost.class);
    private static final String SERVICES_ENTRY = "META-INF/services/" + Plugin.class.getName();
    private static final String BUNDLE_PROPERTY = "strata.plugin.bundle";
    private final Path directory;
    private final Config boot;
    private final Map<Path, Installed> installed = new ConcurrentHashMap<>();
    private final Map<Long, List<ServiceRegistration<Plugin>>> extended = new ConcurrentHashMap<>();
    private final Map<ServiceReference<?>, String> pluginIds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "osgi-plugin-watcher");
        t.setDaemon(true);
        return t;
    });
    private Framework framework;
    private PluginManager manager;

    private record Installed(Bundle bundle, long modified, long size) {
    }

    public OsgiPluginHost(Path directory, Config boot) {
        this.directory = directory;
        this.boot = boot;
    }

    /** This process's bundle cache, deleted when the host closes. */
    private Path ownCache;

    @Override
    public String name() {
        return "osgi";
    }

    @Override
    public synchronized void start(PluginManager pluginManager) throws Exception {
        this.manager = pluginManager;
        Map<String, String> props = new HashMap<>();
        Path root = Path.of(boot.getString("strata.plugins.osgi.cache-directory")).toAbsolutePath();
        Files.createDirectories(root);
        removeCachesOfGoneProcesses(root);
        // one cache per process: Felix wipes its cache when it starts, so processes started from the
        // same directory (several roles on one machine) must not share one
        Path cache = root.resolve(Long.toString(ProcessHandle.current().pid()));
        ownCache = cache;
        props.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.exportClause(
                new ExportedPackages(boot.getStringList("strata.plugins.exported-packages")), BuildInfo.version()));
        props.put(Constants.FRAMEWORK_BOOTDELEGATION, "sun.*,com.sun.*,jdk.*");
        props.put("felix.log.level", "1");
        framework = new Felix(props);
        framework.init();
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        ctx.addServiceListener(this::serviceChanged, "(" + Constants.OBJECTCLASS + "=" + Plugin.class.getName() + ")");
        // synchronous: the bundle's context is valid while its STARTED and STOPPING events are delivered
        ctx.addBundleListener((org.osgi.framework.SynchronousBundleListener) event -> {
            if (event.getType() == BundleEvent.STARTED) {
                extend(event.getBundle());
            } else if (event.getType() == BundleEvent.STOPPING) {
                retract(event.getBundle());
            }
        });
        scan();
        long interval = boot.getDuration("strata.plugins.osgi.poll-interval").toMillis();
        if (interval > 0) {
            watcher.scheduleWithFixedDelay(this::scanQuietly, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    /** Deletes the caches that processes no longer running left behind. */
    private static void removeCachesOfGoneProcesses(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9]+") && !ProcessHandle.of(Long.parseLong(name)).map(ProcessHandle::isAlive).orElse(false)) {
                    deleteTree(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not clean old bundle caches under {}: {}", root, e.toString());
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete bundle cache {}: {}", dir, e.toString());
        }
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (Exception | LinkageError e) {
            LOG.error("scanning plugin directory {} failed", directory, e);
        }
    }

    /** Installs new jars, updates changed ones and uninstalls removed ones. */
    synchronized void scan() throws IOException {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> s = Files.list(directory)) {
                s.filter(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().forEach(jars::add);
            }
        }
        boolean changed = false;
        List<Bundle> toStart = new ArrayList<>();
        for (Path jar : jars) {
            BasicFileAttributes attrs = Files.readAttributes(jar, BasicFileAttributes.class);
            long modified = attrs.lastModifiedTime().toMillis();
            Installed current = installed.get(jar);
            if (current != null && current.modified == modified && current.size == attrs.size()) {
                continue;
            }
            try (InputStream in = Files.newInputStream(jar)) {
                Bundle b;
                if (current == null) {
                    b = framework.getBundleContext().installBundle(jar.toUri().toString(), in);
                    LOG.info("installed bundle {} {} from {}", b.getSymbolicName(), b.getVersion(), jar.getFileName());
                } else {
                    b = current.bundle;
                    b.update(in);
                    LOG.info("updated bundle {} {} from {}", b.getSymbolicName(), b.getVersion(), jar.getFileName());
                }
                installed.put(jar, new Installed(b, modified, attrs.size()));
                toStart.add(b);
                changed = true;
            } catch (BundleException | RuntimeException e) {
                LOG.error("broken plugin bundle {}: {}", jar.getFileName(), e.getMessage());
                installed.put(jar, new Installed(null, modified, attrs.size()));
            }
        }
        for (Path gone : new ArrayList<>(installed.keySet())) {
            if (!jars.contains(gone)) {
                Installed i = installed.remove(gone);
                if (i.bundle != null) {
                    try {
                        i.bundle.uninstall();
                        LOG.info("uninstalled bundle {} ({} removed)", i.bundle.getSymbolicName(), gone.getFileName());
                        changed = true;
                    } catch (BundleException e) {
                        LOG.error("uninstalling {} failed", gone.getFileName(), e);
                    }
                }
            }
        }
        if (changed) {
            refresh();
        }
        for (Bundle b : toStart) {
            startBundle(b);
        }
        // bundles that could not resolve before may resolve now that others arrived
        for (Installed i : installed.values()) {
            if (i.bundle != null && i.bundle.getState() == Bundle.INSTALLED) {
                startBundle(i.bundle);
            }
        }
    }

    private static void startBundle(Bundle b) {
        if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null || b.getState() == Bundle.ACTIVE) {
            return;
        }
        try {
            b.start();
        } catch (BundleException | RuntimeException e) {
            LOG.error("plugin bundle {} cannot start: {}", b.getSymbolicName(), e.getMessage());
        }
    }

    private void refresh() {
        FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        wiring.refreshBundles(null, event -> done.countDown());
        try {
            if (!done.await(30, TimeUnit.SECONDS)) {
                LOG.warn("refreshing bundles took longer than 30s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Instantiates and registers the plugins a bundle lists in its services file. */
    private void extend(Bundle bundle) {
        URL entry = bundle.getEntry(SERVICES_ENTRY);
        if (entry == null) {
            return;
        }
        List<ServiceRegistration<Plugin>> regs = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(entry.openStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String cls = line.replaceAll("#.*", "").trim();
                if (cls.isEmpty()) {
                    continue;
                }
                Plugin plugin = (Plugin) bundle.loadClass(cls).getDeclaredConstructor().newInstance();
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(BUNDLE_PROPERTY, bundle.getSymbolicName());
                regs.add(bundle.getBundleContext().registerService(Plugin.class, plugin, props));
            }
        } catch (Exception | LinkageError e) {
            LOG.error("broken plugin bundle {}: {}", bundle.getSymbolicName(), e.toString());
        }
        extended.put(bundle.getBundleId(), regs);
    }

    private void retract(Bundle bundle) {
        List<ServiceRegistration<Plugin>> regs = extended.remove(bundle.getBundleId());
        if (regs != null) {
            for (ServiceRegistration<Plugin> reg : regs) {
                try {
                    reg.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // unregistered by the framework when the bundle stopped
                }
            }
        }
    }

    private void serviceChanged(ServiceEvent event) {
        ServiceReference<?> ref = event.getServiceReference();
        Bundle bundle = ref.getBundle();
        switch (event.getType()) {
            case ServiceEvent.REGISTERED -> {
                Plugin plugin = (Plugin) framework.getBundleContext().getService(ref);
                if (plugin == null) {
                    return;
                }
                try {
                    String id = plugin.name();
                    pluginIds.put(ref, id);
                    manager.added(new LoadedPlugin(id, plugin, bundle.getVersion().toString(), bundle.getLocation(), "osgi",
                            referenceOf(bundle), PluginManager.factoriesOf(plugin)));
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("broken plugin in bundle {}: {}", bundle.getSymbolicName(), e.toString());
                }
            }
            case ServiceEvent.UNREGISTERING -> {
                String id = pluginIds.remove(ref);
                if (id != null) {
                    manager.removed(id);
                }
                framework.getBundleContext().ungetService(ref);
            }
            default -> {
            }
        }
    }

    private static Config referenceOf(Bundle bundle) {
        URL url = bundle.getEntry("reference.conf");
        if (url == null) {
            return ConfigFactory.empty();
        }
        try {
            return ConfigFactory.parseURL(url, ConfigParseOptions.defaults());
        } catch (RuntimeException e) {
            LOG.error("plugin bundle {} has an unreadable reference.conf: {}", bundle.getSymbolicName(), e.getMessage());
            return ConfigFactory.empty();
        }
    }

    @Override
    public synchronized void close() {
        watcher.shutdownNow();
        if (framework != null) {
            try {
                framework.stop();
                framework.waitForStop(10_000);
            } catch (BundleException | InterruptedException e) {
                LOG.warn("OSGi framework did not stop cleanly", e);
            }
        }
        if (ownCache != null) {
            deleteTree(ownCache);
        }
    }
}
