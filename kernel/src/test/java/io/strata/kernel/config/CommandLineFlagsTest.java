package io.strata.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineFlagsTest {
    private final CommandLineFlags flags = new CommandLineFlags(ConfigFactory.parseString("""
            strata.cli.flags {
              "http-address" { key = "strata.http.address" }
              "label" { key = "strata.receive.external-labels", kind = labels }
              "store" { key = "strata.query.stores", kind = list }
              "shipper.upload-compacted" { key = "strata.sidecar.upload-compacted", kind = bool }
            }
            """));

    @Test
    void mapsThanosFlagsOntoKeys() {
        Config c = flags.parse(List.of("--http-address=127.0.0.1:1", "--label", "replica=\"r0\"", "--label=site='eu'",
                "--store", "a:1", "--store=b:2", "--shipper.upload-compacted"));
        assertEquals("127.0.0.1:1", c.getString("strata.http.address"));
        assertEquals("r0", c.getString("strata.receive.external-labels.replica"));
        assertEquals("eu", c.getString("strata.receive.external-labels.site"));
        assertEquals(List.of("a:1", "b:2"), c.getStringList("strata.query.stores"));
        assertTrue(c.getBoolean("strata.sidecar.upload-compacted"));
        assertFalse(flags.parse(List.of("--no-shipper.upload-compacted")).getBoolean("strata.sidecar.upload-compacted"));
        assertTrue(c.getValue("strata.http.address").origin().description().contains("--http-address"));
    }

    @Test
    void parseKnownSkipsOtherFlagsAndTheirValues() {
        Config c = flags.parseKnown(List.of("--tsdb.path", "/x", "--http-address=1.2.3.4:5", "--other=1", "--store", "a:1"));
        assertEquals("1.2.3.4:5", c.getString("strata.http.address"));
        assertEquals(List.of("a:1"), c.getStringList("strata.query.stores"));
        assertFalse(c.hasPath("strata.tsdb"));
    }

    @Test
    void unknownFlagFailsAndListsKnownOnes() {
        ConfigError e = assertThrows(ConfigError.class, () -> flags.parse(List.of("--htp-address=x")));
        assertTrue(e.getMessage().contains("unknown flag --htp-address"), e.getMessage());
        assertTrue(e.getMessage().contains("--http-address"), e.getMessage());
    }

    @Test
    void badValuesAreExplained() {
        assertThrows(ConfigError.class, () -> flags.parse(List.of("--http-address")));
        ConfigError e = assertThrows(ConfigError.class, () -> flags.parse(List.of("--label=noequals")));
        assertTrue(e.getMessage().contains("name=\"value\""), e.getMessage());
        assertThrows(ConfigError.class, () -> flags.parse(List.of("--shipper.upload-compacted=maybe")));
    }
}
