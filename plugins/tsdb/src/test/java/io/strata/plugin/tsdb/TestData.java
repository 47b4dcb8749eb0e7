package io.strata.plugin.tsdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the shared test material (system property strata.testdata or env STRATA_TESTDATA). */
public final class TestData {
    private TestData() {
    }

    public static Path root() {
        String p = System.getProperty("strata.testdata");
        if (p == null || p.isBlank()) {
            p = System.getenv("STRATA_TESTDATA");
        }
        if (p == null || p.isBlank()) {
            throw new IllegalStateException("test data not configured: set system property strata.testdata or env STRATA_TESTDATA");
        }
        Path root = Paths.get(p);
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("test data directory " + root + " does not exist (from strata.testdata/STRATA_TESTDATA)");
        }
        return root;
    }

    /** golden1 or golden2 directory. */
    public static Path golden(String name) {
        Path d = root().resolve("tsdb-golden").resolve(name);
        if (!Files.isDirectory(d)) {
            throw new IllegalStateException("golden data " + d + " is missing");
        }
        return d;
    }

    /** The single block directory inside a golden directory. */
    public static Path goldenBlock(String name) {
        try (var s = Files.list(golden(name))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow(() -> new IllegalStateException("no block in " + name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
