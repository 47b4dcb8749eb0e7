package io.strata.kernel.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Role;
import io.strata.kernel.config.ConfigError;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PluginManagerTest {
    private static final class FakeRole implements Role {
        @Override
        public void start() {
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public void stop(Duration grace) {
        }
    }

    private static Plugin plugin(String name, AtomicInteger stops, Factory<?>... factories) {
        return new Plugin() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Factory<?>> factories() {
                return List.of(factories);
            }

            @Override
            public void stop() {
                stops.incrementAndGet();
            }
        };
    }

    @Test
    void unknownTypeListsKnownTypes() {
        PluginManager m = new PluginManager();
        AtomicInteger stops = new AtomicInteger();
        m.added(new LoadedPlugin("p", plugin("p", stops, Factory.of(Role.class, "query", c -> new FakeRole()),
                Factory.of(Role.class, "receive", c -> new FakeRole())), "1", "test", "test", ConfigFactory.empty(),
                List.of(Factory.of(Role.class, "query", c -> new FakeRole()), Factory.of(Role.class, "receive", c -> new FakeRole()))));
        assertEquals(List.of("query", "receive"), m.types(Role.class));
        ConfigError e = assertThrows(ConfigError.class, () -> m.find(Role.class, "qeury", "strata.conf: 3: "));
        assertEquals("strata.conf: 3: unknown role type 'qeury'; known types: query, receive", e.getMessage());
    }

    @Test
    void removingAPluginClosesWhatItOwnsAndStopsIt() {
        PluginManager m = new PluginManager();
        AtomicInteger stops = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        Plugin p = plugin("p", stops);
        m.added(new LoadedPlugin("p", p, "1", "test", "test", ConfigFactory.empty(), List.of()));
        m.own("p", closed::incrementAndGet);
        m.own("p", closed::incrementAndGet);
        assertTrue(m.has("p"));
        m.removed("p");
        assertFalse(m.has("p"));
        assertEquals(2, closed.get());
        assertEquals(1, stops.get());
    }
}
