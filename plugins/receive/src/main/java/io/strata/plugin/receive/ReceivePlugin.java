package io.strata.plugin.receive;

import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Role;
import io.strata.api.plugin.Tool;
import io.strata.plugin.receive.internal.RemoteWriteBenchTool;
import io.strata.plugin.receive.internal.ReceiveRole;
import java.util.List;

/** The receive plugin: offers the {@code receive} role (remote-write ingestion, hashring routing). */
public final class ReceivePlugin implements Plugin {
    /** The role type name. */
    public static final String RECEIVE_ROLE = "receive";

    @Override
    public String name() {
        return "receive";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(Factory.of(Role.class, RECEIVE_ROLE, ReceiveRole::new),
                Factory.of(Tool.class, "bench-remote-write", context -> new RemoteWriteBenchTool()));
    }
}
