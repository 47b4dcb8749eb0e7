package io.strata.plugin.ui;

import com.typesafe.config.Config;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.PluginContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI of the query role: serves {@code /graph}, {@code /stores} and {@code /status} (one
 * single-page app, all answered with its {@code index.html}), redirects {@code /} to
 * {@code /graph}, and serves the app's bundled assets under {@code /static/}. The pages talk to
 * the Prometheus HTTP API of the same process.
 *
 * <p>Settings are under {@code strata.ui} (this plugin's reference.conf): {@code enabled}, and
 * {@code roles}, the roles a process must run one of for the UI to be served.
 */
public final class UiPlugin implements Plugin {
    /** The pages of the app; each is answered with the app's index.html. */
    public static final List<String> PAGES = List.of("/graph", "/stores", "/status");

    private static final Logger LOG = LoggerFactory.getLogger(UiPlugin.class);
    private final List<PluginContext.Registration> routes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String name() {
        return "ui";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of();
    }

    @Override
    public void start(PluginContext context) {
        Objects.requireNonNull(context, "context");
        Config ui = context.config().getConfig("strata.ui");
        if (!ui.getBoolean("enabled")) {
            LOG.info("web UI disabled (strata.ui.enabled = false)");
            return;
        }
        List<String> wanted = ui.getStringList("roles");
        List<String> running = context.rootConfig().hasPath("strata.roles")
                ? context.rootConfig().getStringList("strata.roles") : List.of();
        if (!wanted.isEmpty() && running.stream().noneMatch(wanted::contains)) {
            LOG.debug("web UI not served: this process runs {}, the UI needs one of {} (strata.ui.roles)", running, wanted);
            return;
        }
        UiAssets assets = UiAssets.fromClasspath(UiPlugin.class.getClassLoader());
        routes.add(context.route("/", UiRoutes.redirect("/graph")));
        for (String page : PAGES) {
            routes.add(context.route(page, UiRoutes.page(assets)));
        }
        routes.add(context.route("/static/*", UiRoutes.assets(assets)));
        LOG.info("web UI served on {} and /static/", PAGES);
    }

    @Override
    public void stop() {
        synchronized (routes) {
            for (int i = routes.size() - 1; i >= 0; i--) {
                routes.get(i).close();
            }
            routes.clear();
        }
    }
}
