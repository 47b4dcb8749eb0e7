package io.strata.plugin.storeapi;

import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Role;
import io.strata.plugin.storeapi.internal.StoreRole;
import java.util.List;

/**
 * The storeapi plugin: offers the {@code store} role (a read-only StoreAPI over a local TSDB
 * directory). Its library part, {@link StoreApiServer} and {@link StoreApiClient}, is exported to
 * other plugins.
 */
public final class StoreApiPlugin implements Plugin {
    /** The role type name. */
    public static final String STORE_ROLE = "store";

    @Override
    public String name() {
        return "storeapi";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(Factory.of(Role.class, STORE_ROLE, StoreRole::new));
    }
}
