package io.strata.kernel.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.strata.api.plugin.Plugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins with {@link ServiceLoader}: on the application class path, and in each entry of
 * the plugin directory (a jar, or a directory of jars) through its own class loader, which sees
 * only the exported packages of the kernel.
 */
public final class ClasspathPluginHost implements PluginHost {
    private static final Logger LOG = LoggerFactory.getLogger(ClasspathPluginHost.class);
    private final Path directory;
    private final ExportedPackages exported;
    private final List<URLClassLoader> loaders = new ArrayList<>();

    /**
     * @param directory the plugin directory, or null for the application class path only
     * @param exported  what plugin class loaders may see of the kernel
     */
    public ClasspathPluginHost(Path directory, ExportedPackages exported) {
        this.directory = directory;
        this.exported = exported;
    }

    @Override
    public String name() {
        return "classpath";
    }

    @Override
    public void start(PluginManager manager) throws IOException {
        ClassLoader app = ClasspathPluginHost.class.getClassLoader();
        for (ServiceLoader.Provider<Plugin> provider : ServiceLoader.load(Plugin.class, app).stream().toList()) {
            load(manager, provider, "classpath", ConfigFactory.empty());
        }
        if (directory == null || !Files.isDirectory(directory)) {
            return;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(directory)) {
            entries = s.sorted().toList();
        }
        for (Path entry : entries) {
            List<URL> urls = jarsOf(entry);
            if (urls.isEmpty()) {
                continue;
            }
            URLClassLoader loader = new URLClassLoader("plugin:" + entry.getFileName(), urls.toArray(URL[]::new),
                    new ExportingClassLoader(app, exported));
            loaders.add(loader);
            Config reference = referenceOf(loader, entry);
            try {
                for (ServiceLoader.Provider<Plugin> provider : ServiceLoader.load(Plugin.class, loader).stream().toList()) {
                    load(manager, provider, entry.toString(), reference);
                }
            } catch (java.util.ServiceConfigurationError | LinkageError e) {
                LOG.error("broken plugin {}: {}", entry.getFileName(), e.toString());
            }
        }
    }

    private static Config referenceOf(ClassLoader loader, Path entry) {
        try {
            Config c = ConfigFactory.empty();
            Enumeration<URL> urls = loader.getResources("reference.conf");
            while (urls.hasMoreElements()) {
                c = c.withFallback(ConfigFactory.parseURL(urls.nextElement(), ConfigParseOptions.defaults()));
            }
            return c;
        } catch (IOException | RuntimeException e) {
            LOG.error("plugin {} has an unreadable reference.conf: {}", entry.getFileName(), e.toString());
            return ConfigFactory.empty();
        }
    }

    private static void load(PluginManager manager, ServiceLoader.Provider<Plugin> provider, String source, Config reference) {
        try {
            Plugin plugin = provider.get();
            String id = plugin.name();
            if (manager.has(id)) {
                LOG.warn("plugin {} from {} is already loaded; ignoring this copy", id, source);
                return;
            }
            manager.added(new LoadedPlugin(id, plugin, plugin.version(), source, "classpath", reference,
                    PluginManager.factoriesOf(plugin)));
        } catch (RuntimeException | LinkageError e) {
            LOG.error("broken plugin {} in {}: {}", provider.type().getName(), source, e.toString());
        }
    }

    private static List<URL> jarsOf(Path entry) throws IOException {
        List<URL> out = new ArrayList<>();
        if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
            out.add(url(entry));
        } else if (Files.isDirectory(entry)) {
            try (Stream<Path> s = Files.list(entry)) {
                for (Path p : s.sorted().toList()) {
                    if (p.toString().endsWith(".jar")) {
                        out.add(url(p));
                    }
                }
            }
        }
        return out;
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (URLClassLoader l : loaders) {
            try {
                l.close();
            } catch (IOException ignored) {
                // nothing useful to do while shutting down
            }
        }
    }

    /** Delegates to the kernel's loader only for exported packages; the JDK comes from the platform loader. */
    static final class ExportingClassLoader extends ClassLoader {
        private final ClassLoader kernel;
        private final ExportedPackages exported;

        ExportingClassLoader(ClassLoader kernel, ExportedPackages exported) {
            super("strata-exports", ClassLoader.getPlatformClassLoader());
            this.kernel = kernel;
            this.exported = exported;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (exported.exports(name)) {
                return kernel.loadClass(name);
            }
            throw new ClassNotFoundException(name + " is not exported to plugins");
        }

        @Override
        protected URL findResource(String name) {
            return exported.exports(name.replace('/', '.')) ? kernel.getResource(name) : null;
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return exported.exports(name.replace('/', '.')) ? kernel.getResources(name) : java.util.Collections.emptyEnumeration();
        }
    }
}
