package io.strata.plugin.promql.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Warnings and infos collected while evaluating a query, without duplicates, in order of first report. */
final class Annotations {
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Set<String> infos = new LinkedHashSet<>();
    private final String query;

    Annotations(String query) {
        this.query = query;
    }

    private String position(int offset) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(offset, query.length()); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return " (" + line + ":" + col + ")";
    }

    void warn(String message, int offset) {
        warnings.add("PromQL warning: " + message + position(offset));
    }

    void info(String message, int offset) {
        infos.add("PromQL info: " + message + position(offset));
    }

    void storageWarning(String message) {
        warnings.add(message);
    }

    List<String> warnings() {
        return new ArrayList<>(warnings);
    }

    List<String> infos() {
        return new ArrayList<>(infos);
    }
}
