package io.strata.kernel.plugin;

/** Finds plugins and reports them to a {@link PluginManager}; may keep doing so while running. */
public interface PluginHost extends AutoCloseable {
    /** The host's name in configuration ({@code classpath}, {@code osgi}). */
    String name();

    /** Loads what is there now (synchronously), then may report later changes. */
    void start(PluginManager manager) throws Exception;

    @Override
    void close();
}
