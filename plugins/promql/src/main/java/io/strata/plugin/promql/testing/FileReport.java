package io.strata.plugin.promql.testing;

import java.io.PrintStream;
import java.util.List;

/** The results of one test script. */
public record FileReport(String file, List<CaseResult> cases) {
    public FileReport {
        cases = List.copyOf(cases);
    }

    public long count(CaseResult.Status status) {
        return cases.stream().filter(c -> c.status() == status).count();
    }

    /** A skip reason without the series it names, for summaries. */
    static String reasonCategory(String reason) {
        int brace = reason.indexOf(" {");
        int colon = reason.indexOf(" of ");
        int cut = brace >= 0 ? brace : colon >= 0 ? colon : reason.length();
        return reason.substring(0, cut);
    }

    /** Prints one table line per file, then the failed and skipped cases with their reasons. */
    public static void printTable(List<FileReport> reports, PrintStream out, boolean listSkipped) {
        out.printf("%-28s %8s %8s %8s%n", "file", "passed", "failed", "skipped");
        long p = 0;
        long f = 0;
        long s = 0;
        for (FileReport r : reports) {
            long rp = r.count(CaseResult.Status.PASSED);
            long rf = r.count(CaseResult.Status.FAILED);
            long rs = r.count(CaseResult.Status.SKIPPED);
            out.printf("%-28s %8d %8d %8d%n", r.file(), rp, rf, rs);
            if (rs > 0 && !listSkipped) {
                java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
                for (CaseResult c : r.cases()) {
                    if (c.status() == CaseResult.Status.SKIPPED) {
                        reasons.merge(reasonCategory(c.reason()), 1, Integer::sum);
                    }
                }
                reasons.forEach((reason, count) -> out.printf("    skipped %d: %s%n", count, reason));
            }
            p += rp;
            f += rf;
            s += rs;
        }
        for (FileReport r : reports) {
            for (CaseResult c : r.cases()) {
                if (c.status() == CaseResult.Status.FAILED || (listSkipped && c.status() == CaseResult.Status.SKIPPED)) {
                    out.println(c.status() + " " + c.id() + " " + c.query() + "\n    " + c.reason().replace("\n", "\n    "));
                }
            }
        }
        out.println(p + " passed, " + f + " failed, " + s + " skipped");
    }
}
