package io.strata.plugin.storeapi;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.StaleMarker;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The series every StoreAPI server under {@link StoreApiConformanceTest} holds: XOR chunks of 120
 * samples (as Prometheus cuts them), labels with non-ASCII values whose UTF-8 and UTF-16 orders
 * differ, a stale marker, a series only in a later time range and a series with a label that an
 * external label replaces.
 */
public final class ConformanceData {
    /** Start of the data, in milliseconds (aligned to two hours). */
    public static final long T0 = 1_699_999_200_000L;
    public static final long HOUR = 3_600_000L;
    public static final long STEP = 15_000L;
    public static final int SAMPLES_PER_CHUNK = 120;
    /** The external labels the servers under test are started with. */
    public static final Labels EXTERNAL_LABELS = Labels.of("region", "eu", "replica", "0");

    /** One series: its labels, samples and the chunks holding them. */
    public record TestSeries(Labels labels, long[] timestamps, double[] values, List<byte[]> chunks, long[] chunkMinTimes,
                             long[] chunkMaxTimes) {
        /** The series as a chunk series over its chunks (fresh iterators on every call). */
        public ChunkSeries asChunkSeries() {
            return new ChunkSeries() {
                @Override
                public Labels labels() {
                    return labels;
                }

                @Override
                public ChunkIterator chunks(ChunkIterator reuse) {
                    return new ChunkIterator() {
                        private int i = -1;

                        @Override
                        public boolean next() {
                            return ++i < chunks.size();
                        }

                        @Override
                        public long minTime() {
                            return chunkMinTimes[i];
                        }

                        @Override
                        public long maxTime() {
                            return chunkMaxTimes[i];
                        }

                        @Override
                        public int encoding() {
                            return ENCODING_XOR;
                        }

                        @Override
                        public ByteBuffer bytes() {
                            return ByteBuffer.wrap(chunks.get(i)).asReadOnlyBuffer();
                        }
                    };
                }
            };
        }
    }

    /**
     * Label sets in Go's order (bytes of UTF-8, unsigned), written independently of the code under
     * test so that the kit is its own oracle.
     */
    public static final java.util.Comparator<Labels> GO_ORDER = (a, b) -> {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = goCompare(a.name(i), b.name(i));
            if (c != 0) {
                return c;
            }
            c = goCompare(a.value(i), b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private static final List<TestSeries> SERIES = build();

    /** Strings compared as Go does: by their UTF-8 bytes, unsigned. */
    public static int goCompare(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private ConformanceData() {
    }

    /** The series in UTF-8 label order. */
    public static List<TestSeries> series() {
        return SERIES;
    }

    /** The series as chunk series, in UTF-8 label order. */
    public static List<ChunkSeries> chunkSeries() {
        return SERIES.stream().map(TestSeries::asChunkSeries).toList();
    }

    /** First sample timestamp of all series. */
    public static long minTime() {
        return SERIES.stream().mapToLong(s -> s.timestamps()[0]).min().orElseThrow();
    }

    /** Last sample timestamp of all series. */
    public static long maxTime() {
        return SERIES.stream().mapToLong(s -> s.timestamps()[s.timestamps().length - 1]).max().orElseThrow();
    }

    /** The labels a server reports for a series: its own with the external labels set over them. */
    public static Labels served(Labels series, Labels external) {
        Labels.Builder b = series.toBuilder();
        external.forEach(b::set);
        return b.build();
    }

    /** What a correct server returns for these matchers over the whole time range, in UTF-8 order. */
    public static List<Labels> expected(Labels external, Matcher... matchers) {
        List<Labels> out = new ArrayList<>();
        for (TestSeries s : SERIES) {
            Labels l = served(s.labels(), external);
            boolean all = true;
            for (Matcher m : matchers) {
                all &= m.matches(l.get(m.name()));
            }
            if (all) {
                out.add(l);
            }
        }
        out.sort(GO_ORDER);
        return out;
    }

    private static List<TestSeries> build() {
        List<TestSeries> out = new ArrayList<>();
        long twoHours = 2 * HOUR;
        out.add(series(Labels.of("__name__", "up", "job", "api", "instance", "a:9090"), T0, twoHours, 1, false));
        out.add(series(Labels.of("__name__", "up", "job", "api", "instance", "b:9090"), T0, twoHours, 2, true));
        out.add(series(Labels.of("__name__", "up", "job", "web", "instance", "c:9090"), T0, twoHours, 3, false));
        out.add(series(Labels.of("__name__", "up", "job", "db", "replica", "x"), T0, twoHours, 4, false));
        out.add(series(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "a:9090", "code", "200"), T0, twoHours, 5, false));
        out.add(series(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "a:9090", "code", "500"), T0, twoHours, 6, false));
        out.add(series(Labels.of("__name__", "http_requests_total", "job", "web", "instance", "c:9090"), T0 + HOUR, HOUR, 7, false));
        out.add(series(Labels.of("__name__", "temperature", "city", "Zürich"), T0, twoHours, 8, false));
        // U+E000 sorts before U+1F600 in UTF-8 (and in Go), after it in UTF-16.
        out.add(series(Labels.of("__name__", "temperature", "city", "\uE000"), T0, twoHours, 9, false));
        out.add(series(Labels.of("__name__", "temperature", "city", "\uD83D\uDE00"), T0, twoHours, 10, false));
        out.add(series(Labels.of("__name__", "sparse", "job", "batch"), T0 + 3 * HOUR, HOUR / 6, 11, false));
        out.sort((a, b) -> GO_ORDER.compare(a.labels(), b.labels()));
        return List.copyOf(out);
    }

    /** Samples every 15 s over [start, start + length), counter-like values; optionally a final stale marker. */
    private static TestSeries series(Labels labels, long start, long length, int seed, boolean staleAtEnd) {
        int n = (int) (length / STEP);
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = start + i * STEP;
            vs[i] = seed * 1000 + i * 0.5 + (i % 7 == 0 ? 0.125 : 0);
        }
        if (staleAtEnd) {
            vs[n - 1] = StaleMarker.VALUE;
        }
        List<byte[]> chunks = new ArrayList<>();
        int count = (n + SAMPLES_PER_CHUNK - 1) / SAMPLES_PER_CHUNK;
        long[] mins = new long[count];
        long[] maxs = new long[count];
        for (int c = 0; c < count; c++) {
            XorChunkBuilder b = new XorChunkBuilder();
            for (int i = c * SAMPLES_PER_CHUNK; i < Math.min(n, (c + 1) * SAMPLES_PER_CHUNK); i++) {
                b.append(ts[i], vs[i]);
            }
            chunks.add(b.toByteArray());
            mins[c] = b.minTime();
            maxs[c] = b.maxTime();
        }
        return new TestSeries(labels, ts, vs, List.copyOf(chunks), mins, maxs);
    }
}
