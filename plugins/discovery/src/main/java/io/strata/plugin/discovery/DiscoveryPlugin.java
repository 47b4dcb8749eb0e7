package io.strata.plugin.discovery;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.strata.api.discovery.Discovery;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.PluginContext;
import io.strata.plugin.discovery.internal.Endpoint;
import io.strata.plugin.discovery.internal.EndpointResolver;
import io.strata.plugin.discovery.internal.EndpointsDiscovery;
import io.strata.plugin.discovery.internal.FileDiscovery;
import io.strata.plugin.discovery.internal.Settings;
import io.strata.plugin.discovery.internal.SystemDnsResolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Offers three {@link Discovery} types:
 * <ul>
 *   <li>{@code static}: {@code addresses = ["host:port", "dns+store:10901", ...]};</li>
 *   <li>{@code file}: {@code files = ["/etc/strata/stores.yaml"]}, Prometheus file SD files;</li>
 *   <li>{@code dns}: {@code names = ["dns+store:10901", "dnssrv+_grpc._tcp.store"]}.</li>
 * </ul>
 * Every type accepts the DNS prefixes Thanos uses ({@code dns+}, {@code dnssrv+},
 * {@code dnssrvnoa+}) in its entries. Settings missing from a discovery's block come from
 * {@code strata.discovery.<type>} (this plugin's reference.conf, which a user may override).
 */
public final class DiscoveryPlugin implements Plugin {
    /** The type of a fixed list of addresses. */
    public static final String STATIC = "static";
    /** The type of file SD files. */
    public static final String FILE = "file";
    /** The type of DNS names. */
    public static final String DNS = "dns";

    private static final String DEFAULTS = "strata.discovery.";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final DnsResolver dns;

    /** The plugin the kernel loads: DNS through the system. */
    public DiscoveryPlugin() {
        this(new SystemDnsResolver());
    }

    /** A plugin that looks names up through {@code dns} (tests, embedding). */
    public DiscoveryPlugin(DnsResolver dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    @Override
    public String name() {
        return "discovery";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(
                Factory.of(Discovery.class, STATIC, this::createStatic),
                Factory.of(Discovery.class, FILE, this::createFile),
                Factory.of(Discovery.class, DNS, this::createDns));
    }

    private Discovery createStatic(PluginContext context) {
        Config config = settings(context, STATIC);
        List<Endpoint> addresses = Settings.endpoints(config, "addresses", false);
        String name = name(STATIC, addresses);
        return new EndpointsDiscovery(name, addresses, new EndpointResolver(dns, name),
                Settings.positiveDuration(config, "dns-interval"));
    }

    private Discovery createFile(PluginContext context) {
        Config config = settings(context, FILE);
        List<Path> files = Settings.files(config, "files");
        String name = name(FILE, files);
        return new FileDiscovery(name, files, Settings.positiveDuration(config, "refresh-interval"),
                new EndpointResolver(dns, name), true);
    }

    private Discovery createDns(PluginContext context) {
        Config config = settings(context, DNS);
        List<Endpoint> names = Settings.endpoints(config, "names", true);
        String name = name(DNS, names);
        return new EndpointsDiscovery(name, names, new EndpointResolver(dns, name),
                Settings.positiveDuration(config, "interval"));
    }

    /** The discovery's block, over the defaults of its type. */
    static Config settings(PluginContext context, String type) {
        Config given = Objects.requireNonNull(context.config(), "config");
        Config root = context.rootConfig();
        String path = DEFAULTS + type;
        Config defaults = root != null && root.hasPath(path) ? root.getConfig(path)
                : ConfigFactory.parseResources(DiscoveryPlugin.class.getClassLoader(), "reference.conf").resolve().getConfig(path);
        return given.withFallback(defaults);
    }

    /** A name for a discovery's thread and log lines: its type, a number and its first entry. */
    private static String name(String type, List<?> entries) {
        String first = entries.isEmpty() ? "" : entries.get(0).toString();
        String more = entries.size() > 1 ? " +" + (entries.size() - 1) : "";
        return type + "-" + SEQUENCE.incrementAndGet() + "[" + first + more + "]";
    }
}
