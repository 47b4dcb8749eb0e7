package io.strata.plugin.promql.testing;

import io.strata.api.plugin.Tool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code strata tools promql-test FILE...}: runs PromQL test scripts and prints a result table. */
public final class PromqlTestTool implements Tool {
    private final boolean listSkipped;

    /** @param listSkipped whether skipped cases are listed with their reasons (failed ones always are) */
    public PromqlTestTool(boolean listSkipped) {
        this.listSkipped = listSkipped;
    }

    @Override
    public String description() {
        return "Runs Prometheus PromQL test scripts (*.test files or directories of them) against the engine";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        boolean verbose = listSkipped;
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                verbose = true;
                continue;
            }
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".test")).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                err.println("no such file: " + a);
                return 2;
            }
        }
        if (files.isEmpty()) {
            err.println("usage: promql-test [-v] FILE|DIR...");
            return 2;
        }
        List<FileReport> reports = new ArrayList<>();
        for (Path f : files) {
            reports.add(new PromqlTestRunner().run(f));
        }
        FileReport.printTable(reports, out, verbose);
        long failed = reports.stream().mapToLong(r -> r.count(CaseResult.Status.FAILED)).sum();
        return failed > 0 ? 1 : 0;
    }

    /** Runs the tool from the command line. */
    public static void main(String[] args) throws IOException {
        int code = new PromqlTestTool(false).run(List.of(args), System.out, System.err);
        System.exit(code);
    }
}
