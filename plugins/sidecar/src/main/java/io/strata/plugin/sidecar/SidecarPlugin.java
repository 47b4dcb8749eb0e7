package io.strata.plugin.sidecar;

import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Role;
import io.strata.plugin.sidecar.internal.SidecarRole;
import java.util.List;

/**
 * The sidecar plugin: offers the {@code sidecar} role, which puts a running Prometheus into the global
 * view (StoreAPI over remote read, block shipping to the bucket, configuration reloads).
 */
public final class SidecarPlugin implements Plugin {
    /** The role type name. */
    public static final String SIDECAR_ROLE = "sidecar";

    @Override
    public String name() {
        return "sidecar";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(Factory.of(Role.class, SIDECAR_ROLE, SidecarRole::new));
    }
}
