package io.strata.plugin.tsdb.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Lists WAL segment files and checkpoints of a directory. */
public final class WalSegments {
    private WalSegments() {
    }

    /** Sorted segment numbers in {@code dir} (purely numeric file names). */
    public static List<Integer> list(Path dir) throws IOException {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.matches("[0-9]+") && Files.isRegularFile(p)) {
                    out.add(Integer.parseInt(n));
                }
            });
        }
        out.sort(null);
        return out;
    }

    /** [first, last] segment numbers, or [-1, -1] when there are none. */
    public static int[] range(Path dir) throws IOException {
        List<Integer> l = list(dir);
        return l.isEmpty() ? new int[]{-1, -1} : new int[]{l.get(0), l.get(l.size() - 1)};
    }

    /** The newest {@code checkpoint.NNNNNNNN} directory, or null. */
    public static Path lastCheckpoint(Path dir) throws IOException {
        Path best = null;
        int bestN = -1;
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("checkpoint\\.[0-9]+") && Files.isDirectory(p)) {
                    int k = Integer.parseInt(n.substring(11));
                    if (k > bestN) {
                        bestN = k;
                        best = p;
                    }
                }
            }
        }
        return best;
    }

    /** The segment number a checkpoint directory covers up to. */
    public static int checkpointIndex(Path checkpoint) {
        return Integer.parseInt(checkpoint.getFileName().toString().substring(11));
    }
}
