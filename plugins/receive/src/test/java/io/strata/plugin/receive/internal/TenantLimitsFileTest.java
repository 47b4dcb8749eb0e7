package io.strata.plugin.receive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantLimitsFileTest {
    @TempDir
    Path dir;

    @Test
    void tenantsFallBackToTheDefaultAndReloadKeepsLastGood() throws Exception {
        Path f = dir.resolve("limits.yaml");
        Files.writeString(f, """
                write:
                  global:
                    max_concurrency: 30   # ignored
                  default:
                    request:
                      size_bytes_limit: 1000
                      series_limit: 10
                    head_series_limit: 500
                  tenants:
                    "acme":
                      request:
                        samples_limit: 7
                """);
        try (TenantLimitsFile limits = new TenantLimitsFile(f.toString(), Duration.ofHours(1))) {
            assertEquals(new Limits(1000, 10, 0, 500), limits.limits("other"));
            assertEquals(new Limits(1000, 10, 7, 500), limits.limits("acme"));
            Files.writeString(f, "write:\n  default:\n    head_series_limit: lots\n");
            limits.reload();
            assertEquals(new Limits(1000, 10, 0, 500), limits.limits("other"));
            Files.writeString(f, "write:\n  default:\n    head_series_limit: 3\n");
            limits.reload();
            assertEquals(new Limits(0, 0, 0, 3), limits.limits("acme"));
        }
    }

    @Test
    void malformedYamlIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TenantLimitsFile.parseYaml("write:\n  - a\n"));
    }
}
