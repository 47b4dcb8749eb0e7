package io.strata.kernel.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import io.strata.api.plugin.Tool;
import io.strata.kernel.config.CommandLineFlags;
import io.strata.kernel.config.ConfigError;
import io.strata.kernel.config.ConfigLoader;
import io.strata.kernel.config.Settings;
import io.strata.kernel.logging.JulBridge;
import io.strata.kernel.logging.LogSettings;
import io.strata.kernel.plugin.ClasspathPluginHost;
import io.strata.kernel.plugin.ExportedPackages;
import io.strata.kernel.plugin.LoadedPlugin;
import io.strata.kernel.plugin.PluginManager;
import io.strata.kernel.plugin.osgi.OsgiPluginHost;
import io.strata.kernel.server.BuildInfo;
import io.strata.kernel.server.KernelContext;
import io.strata.kernel.tools.ToolKernel;
import io.strata.kernel.server.StrataServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses the command line and runs a command. Exit codes: 0 success, 1 failure at run time,
 * 2 usage or configuration error.
 */
public final class Cli {
    /** Returned by {@link #run} when a server was started and the JVM must stay up. */
    public static final int KEEP_RUNNING = -1;
    private static final Logger LOG = LoggerFactory.getLogger(Cli.class);
    private static final List<String> LOG_LEVELS = List.of("debug", "info", "warn", "error");
    private static final List<String> LOG_FORMATS = List.of("logfmt", "json");
    private final PrintStream out;
    private final PrintStream err;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The parsed command line. */
    record Invocation(String command, List<String> roles, Path configFile, Config overrides, List<String> flags,
                      List<String> rest) {
    }

    public int run(String[] args) {
        try {
            return dispatch(List.of(args));
        } catch (ConfigError e) {
            err.println("strata: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("strata: " + e);
            LOG.error("failed", e);
            return 1;
        }
    }

    private int dispatch(List<String> args) throws Exception {
        if (args.isEmpty() || List.of("help", "--help", "-h").contains(args.get(0))) {
            usage(out);
            return args.isEmpty() ? 2 : 0;
        }
        String first = args.get(0);
        switch (first) {
            case "version", "--version" -> {
                out.println("strata, version " + BuildInfo.version() + " (java " + System.getProperty("java.version") + ")");
                return 0;
            }
            case "check-config" -> {
                if (args.size() < 2 || args.get(1).startsWith("-")) {
                    err.println("usage: strata check-config FILE [-Dkey=value] [--flag=value]");
                    return 2;
                }
                Invocation inv = parse("check-config", List.of(), args.subList(2, args.size()), Path.of(args.get(1)));
                return checkConfig(inv);
            }
            case "tools" -> {
                if (args.size() < 2) {
                    err.println("usage: strata tools <tool> [args...]");
                    return 2;
                }
                return tool(args.get(1), args.subList(2, args.size()));
            }
            case "run" -> {
                return serve(parse("run", null, args.subList(1, args.size()), null));
            }
            default -> {
                List<String> roles = new ArrayList<>();
                int i = 0;
                while (i < args.size() && !args.get(i).startsWith("-")) {
                    roles.add(args.get(i++));
                }
                return serve(parse("roles", roles, args.subList(i, args.size()), null));
            }
        }
    }

    private static Invocation parse(String command, List<String> roles, List<String> args, Path configFile) {
        Path file = configFile;
        Config overrides = ConfigFactory.empty();
        List<String> flags = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") || a.equals("-c")) {
                if (i + 1 >= args.size()) {
                    throw new ConfigError("flag " + a + " needs a file name");
                }
                file = Path.of(args.get(++i));
            } else if (a.startsWith("--config=")) {
                file = Path.of(a.substring("--config=".length()));
            } else if (a.startsWith("-D")) {
                int eq = a.indexOf('=');
                if (eq < 3) {
                    throw new ConfigError("expected -Dkey=value, got '" + a + "'");
                }
                overrides = ConfigLoader.setting(a.substring(2, eq), a.substring(eq + 1), "command line " + a.substring(0, eq))
                        .withFallback(overrides);
            } else if (a.startsWith("--")) {
                flags.add(a);
                // a following value that is not itself a flag belongs to this flag (unless written --flag=value)
                if (!a.contains("=") && i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
                    flags.add(args.get(++i));
                }
            } else {
                rest.add(a);
            }
        }
        if (!rest.isEmpty()) {
            throw new ConfigError("unexpected argument '" + rest.get(0) + "'; run 'strata help' for usage");
        }
        if (roles != null && !roles.isEmpty()) {
            overrides = ConfigValueFactory.fromIterable(roles, "command line roles").atPath("strata.roles").withFallback(overrides);
        }
        return new Invocation(command, roles, file, overrides, flags, rest);
    }

    /** Settings that decide where plugins come from, before plugins are loaded. */
    private static Config bootstrap(Invocation inv) {
        try {
            Config reference = ConfigFactory.defaultReference(Cli.class.getClassLoader());
            Config user = inv.configFile == null || !Files.isRegularFile(inv.configFile) ? ConfigFactory.empty()
                    : ConfigFactory.parseFile(inv.configFile.toFile());
            Config sys = ConfigFactory.systemProperties();
            sys = sys.hasPath("strata") ? sys.withOnlyPath("strata") : ConfigFactory.empty();
            Config kernelFlags = new CommandLineFlags(reference.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true)))
                    .parseKnown(inv.flags);
            return kernelFlags.withFallback(inv.overrides).withFallback(sys).withFallback(user).withFallback(reference)
                    .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigError("malformed configuration: " + e.getMessage(), e);
        }
    }

    private static Invocation withDefaultConfigFile(Invocation inv) {
        if (inv.configFile != null) {
            return inv;
        }
        Config boot = bootstrap(inv);
        Path def = Path.of(boot.getString("strata.home")).resolve("conf").resolve("strata.conf");
        return Files.isRegularFile(def)
                ? new Invocation(inv.command, inv.roles, def, inv.overrides, inv.flags, inv.rest) : inv;
    }

    /** Loads plugins as configured and builds the effective configuration. */
    private static Loaded load(Invocation inv) throws Exception {
        Config boot = bootstrap(inv);
        LogSettings.apply(Settings.oneOf(boot, "strata.log.level", LOG_LEVELS), Settings.oneOf(boot, "strata.log.format", LOG_FORMATS));
        JulBridge.install();
        PluginManager plugins = new PluginManager();
        ExportedPackages exported = new ExportedPackages(boot.getStringList("strata.plugins.exported-packages"));
        Path dir = Path.of(boot.getString("strata.plugins.directory"));
        String host = boot.getString("strata.plugins.host");
        switch (host) {
            case "classpath" -> plugins.addHost(new ClasspathPluginHost(dir, exported));
            case "osgi" -> {
                plugins.addHost(new ClasspathPluginHost(null, exported));
                plugins.addHost(new OsgiPluginHost(dir, boot));
            }
            default -> throw Settings.invalid(boot, "strata.plugins.host", host, "classpath or osgi");
        }
        List<Config> references = new ArrayList<>();
        references.add(ConfigFactory.defaultReference(Cli.class.getClassLoader()));
        for (LoadedPlugin p : plugins.sorted()) {
            references.add(p.reference());
        }
        Config allReferences = ConfigFactory.empty();
        for (Config r : references) {
            allReferences = allReferences.withFallback(r);
        }
        Config flags = new CommandLineFlags(allReferences.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true)))
                .parse(inv.flags);
        Config config = ConfigLoader.load(references, inv.configFile, flags.withFallback(inv.overrides));
        StrataServer.validate(config);
        LogSettings.apply(config.getString("strata.log.level"), config.getString("strata.log.format"));
        return new Loaded(config, plugins);
    }

    private record Loaded(Config config, PluginManager plugins) {
    }

    private int checkConfig(Invocation inv) throws Exception {
        Loaded l = load(inv);
        try {
            for (String role : Settings.strings(l.config, "strata.roles")) {
                l.plugins.find(io.strata.api.plugin.Role.class, role, Settings.where(l.config, "strata.roles"));
            }
            out.println(l.config.withOnlyPath("strata").root().render(ConfigRenderOptions.defaults()
                    .setOriginComments(true).setComments(true).setJson(false)));
            out.println("# configuration OK: " + inv.configFile);
            return 0;
        } finally {
            l.plugins.close();
        }
    }

    private int tool(String name, List<String> args) throws Exception {
        Invocation inv = withDefaultConfigFile(new Invocation("tools", List.of(), null, ConfigFactory.empty(), List.of(), List.of()));
        Loaded l = load(inv);
        try {
            if (name.equals("--help") || name.equals("help")) {
                for (String t : l.plugins.types(Tool.class)) {
                    Tool tool = l.plugins.find(Tool.class, t, "").factory().create(
                            new KernelContext(new ToolKernel(l.config, l.plugins), "help", l.config));
                    out.println("  " + t + ": " + tool.description());
                }
                return 0;
            }
            var found = l.plugins.find(Tool.class, name, "strata tools: ");
            Config toolConfig = l.config.withFallback(found.plugin().reference()).resolve();
            Tool tool = found.factory().create(new KernelContext(new ToolKernel(l.config, l.plugins), found.plugin().id(), toolConfig));
            return tool.run(args, out, err);
        } finally {
            l.plugins.close();
        }
    }

    private int serve(Invocation given) throws Exception {
        // conf/strata.conf describes the all-in-one: it applies to "strata run"; "strata <role>..."
        // runs from the defaults, flags and an explicit --config, as Thanos users expect
        Invocation inv = given.command().equals("run") ? withDefaultConfigFile(given) : given;
        Loaded l = load(inv);
        StrataServer server = new StrataServer(l.config, l.plugins);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            server.start();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return KEEP_RUNNING;
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: strata <command> [flags]

                commands:
                  run                          all-in-one server (roles from strata.roles in conf/strata.conf)
                  <role>... [flags]            run the named roles in one process (receive, query, store, ...)
                  version                      print the version
                  check-config FILE            print the effective configuration with the origin of each value
                  tools <tool> [args]          offline tools (strata tools help lists them)

                flags:
                  --config FILE                configuration file (default: $STRATA_HOME/conf/strata.conf)
                  -Dkey=value                  override one setting, e.g. -Dstrata.http.address=127.0.0.1:10902
                  --<thanos-flag>=value        Thanos flags such as --http-address, --grpc-address, --log.level""");
    }
}
