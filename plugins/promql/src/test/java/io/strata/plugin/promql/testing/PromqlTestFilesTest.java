package io.strata.plugin.promql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs every Prometheus test script of the shared test data and requires the core files to pass. */
public class PromqlTestFilesTest {
    /** Files where every case that is not a native-histogram or experimental case must pass. */
    private static final Set<String> MUST_PASS = Set.of("aggregators.test", "at_modifier.test", "collision.test",
            "functions.test", "histograms.test", "literals.test", "name_label_dropping.test", "operators.test",
            "range_queries.test", "selectors.test", "staleness.test", "subquery.test", "trig_functions.test");

    /** Known failures in must-pass files, by {@code file:line}; empty means none are tolerated. */
    private static final Set<String> KNOWN_FAILING = Set.of();

    /** The promql test-script directory of the shared test data. */
    public static Path testdataDirectory() {
        return testdata();
    }

    static Path testdata() {
        String property = System.getProperty("strata.testdata");
        String env = System.getenv("STRATA_TESTDATA");
        for (String candidate : new String[] {property, env}) {
            if (candidate != null && !candidate.isBlank() && !candidate.startsWith("${")
                    && Files.isDirectory(Path.of(candidate, "promql"))) {
                return Path.of(candidate, "promql");
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/testdata/promql");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("PromQL test data not found: set the system property strata.testdata or the "
                + "environment variable STRATA_TESTDATA to the shared testdata directory (property=" + property + ", env=" + env + ")");
    }

    @Test
    void everyTestFileRunsAndTheCoreFilesPass() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(testdata())) {
            files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .test files in " + testdata());
        List<FileReport> reports = new ArrayList<>();
        for (Path f : files) {
            reports.add(new PromqlTestRunner().run(f));
        }
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        FileReport.printTable(reports, new PrintStream(table, true, StandardCharsets.UTF_8), false);
        System.out.println(table.toString(StandardCharsets.UTF_8));
        List<String> unexpected = new ArrayList<>();
        int mustPassFiles = 0;
        for (FileReport r : reports) {
            if (!MUST_PASS.contains(r.file())) {
                continue;
            }
            mustPassFiles++;
            assertTrue(r.count(CaseResult.Status.PASSED) > 0, r.file() + " passed nothing");
            for (CaseResult c : r.cases()) {
                if (c.status() == CaseResult.Status.FAILED && !KNOWN_FAILING.contains(c.id())) {
                    unexpected.add(c.id() + " " + c.query() + ": " + c.reason());
                }
                if (c.status() == CaseResult.Status.SKIPPED) {
                    assertFalse(c.reason().isBlank(), c.id() + " skipped without a reason");
                }
            }
        }
        assertEquals(MUST_PASS.size(), mustPassFiles, "some must-pass files are missing from " + testdata());
        assertTrue(unexpected.isEmpty(), "failing cases:\n" + String.join("\n", unexpected));
    }

    @Test
    void toolReportsFailuresThroughItsExitCode() throws IOException {
        Path dir = Files.createTempDirectory("promql-test");
        Path script = dir.resolve("tiny.test");
        Files.writeString(script, "load 1m\n  x{a=\"b\"} 1 2 3\n\neval instant at 2m x\n  x{a=\"b\"} 3\n\n"
                + "eval instant at 2m x\n  x{a=\"b\"} 4\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new PromqlTestTool(false).run(List.of(script.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, code);
        assertTrue(text.endsWith("1 passed, 1 failed, 0 skipped"), text);
    }
}
