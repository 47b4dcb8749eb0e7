package io.strata.plugin.tsdb.tools;

import io.strata.api.labels.Matcher;
import io.strata.api.plugin.Tool;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.block.Block;
import io.strata.plugin.tsdb.block.BlockMeta;
import io.strata.plugin.tsdb.block.BlockWriter;
import io.strata.plugin.tsdb.block.Ulid;
import io.strata.plugin.tsdb.head.Head;
import io.strata.plugin.tsdb.head.HeadOptions;
import io.strata.plugin.tsdb.index.ChunkMetas;
import io.strata.plugin.tsdb.index.IndexReader;
import io.strata.plugin.tsdb.index.Postings;
import io.strata.plugin.tsdb.index.PostingsForMatchers;
import io.strata.plugin.tsdb.querier.BlockSource;
import io.strata.plugin.tsdb.querier.ChunkSeriesSource;
import io.strata.plugin.tsdb.querier.TsdbQuerier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code strata tools tsdb dump|analyze|import-openmetrics}: promtool's tsdb commands. */
public final class TsdbTool implements Tool {
    private static final String USAGE = String.join("\n",
            "usage: strata tools tsdb <command> ...",
            "  dump DIR [--match SELECTOR] [--min-time T] [--max-time T]   print every sample as promtool tsdb dump does",
            "  analyze DIR [BLOCK_ID] [--limit N]                          cardinality and churn of a block",
            "  import-openmetrics FILE DIR                                 create blocks from OpenMetrics text");

    @Override
    public String description() {
        return "TSDB tools: dump, analyze, import-openmetrics";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "dump" -> dump(rest, out, err);
                case "analyze" -> analyze(rest, out, err);
                case "import-openmetrics" -> importOpenMetrics(rest, out, err);
                default -> {
                    err.println("unknown tsdb command: " + args.get(0));
                    err.println(USAGE);
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String m) {
            super(m);
        }
    }

    /** Parses {@code --flag value} / {@code --flag=value} options and positional arguments. */
    private static Map<String, String> parse(List<String> args, List<String> positional, String... flags) throws UsageException {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("flag --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                if (!List.of(flags).contains(name)) {
                    throw new UsageException("unknown flag --" + name);
                }
                m.put(name, value);
            } else {
                positional.add(a);
            }
        }
        return m;
    }

    private int dump(List<String> args, PrintStream out, PrintStream err) throws Exception {
        List<String> pos = new ArrayList<>();
        Map<String, String> f = parse(args, pos, "match", "min-time", "max-time");
        if (pos.size() != 1) {
            throw new UsageException("dump needs exactly one DIR");
        }
        Path dir = Paths.get(pos.get(0));
        long mint = f.containsKey("min-time") ? Long.parseLong(f.get("min-time")) : Long.MIN_VALUE;
        long maxt = f.containsKey("max-time") ? Long.parseLong(f.get("max-time")) : Long.MAX_VALUE;
        Matcher[] matchers = f.containsKey("match") ? SelectorParser.parse(f.get("match")) : new Matcher[0];
        List<Block> blocks = openBlocks(dir);
        Path walCopy = null;
        Head head = null;
        try {
            List<ChunkSeriesSource> sources = new ArrayList<>();
            for (Block b : blocks) {
                sources.add(new BlockSource(b));
            }
            if (Files.isDirectory(dir.resolve("wal")) && hasFiles(dir.resolve("wal"))) {
                // Replay a copy of the WAL so the data directory is never written to.
                walCopy = Files.createTempDirectory("strata-dump-");
                copyTree(dir.resolve("wal"), walCopy.resolve("wal"));
                long minValid = blocks.stream().mapToLong(Block::maxTime).max().orElse(Long.MIN_VALUE);
                head = Head.open(walCopy, new HeadOptions(2 * 3600 * 1000L, 120, 0, 128L * 1024 * 1024, 128L * 1024 * 1024), minValid);
                if (!head.isEmpty()) {
                    sources.add(head);
                }
            }
            TsdbQuerier q = new TsdbQuerier(sources, mint, maxt, null);
            SeriesSet<Series> ss = q.samples().select(true, null, matchers);
            StringBuilder sb = new StringBuilder(256);
            SampleIterator reuse = null;
            while (ss.next()) {
                Series s = ss.at();
                String labels = s.labels().toString();
                SampleIterator it = s.iterator(reuse);
                reuse = it;
                while (it.next()) {
                    sb.setLength(0);
                    sb.append(labels).append(' ');
                    GoFloatFormat.appendG(sb, it.atV());
                    sb.append(' ').append(it.atT()).append('\n');
                    out.append(sb);
                }
                if (it.err() != null) {
                    throw it.err();
                }
            }
            if (ss.err() != null) {
                throw ss.err();
            }
            out.flush();
            return 0;
        } finally {
            if (head != null) {
                head.close();
            }
            if (walCopy != null) {
                BlockWriter.delete(walCopy);
            }
            for (Block b : blocks) {
                b.close();
            }
        }
    }

    private static boolean hasFiles(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.findAny().isPresent();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
    }

    static List<Block> openBlocks(Path dir) throws IOException {
        List<Block> out = new ArrayList<>();
        if (Files.exists(dir.resolve(BlockMeta.FILE_NAME))) {
            out.add(Block.open(dir));
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isDirectory(p) && Ulid.isValid(p.getFileName().toString()) && Files.exists(p.resolve(BlockMeta.FILE_NAME))) {
                    out.add(Block.open(p));
                }
            }
        }
        out.sort(Comparator.comparingLong(Block::minTime));
        return out;
    }

    private int analyze(List<String> args, PrintStream out, PrintStream err) throws Exception {
        List<String> pos = new ArrayList<>();
        Map<String, String> f = parse(args, pos, "limit");
        if (pos.isEmpty() || pos.size() > 2) {
            throw new UsageException("analyze needs DIR and optionally a BLOCK_ID");
        }
        int limit = Integer.parseInt(f.getOrDefault("limit", "20"));
        List<Block> blocks = openBlocks(Paths.get(pos.get(0)));
        try {
            if (blocks.isEmpty()) {
                err.println("no blocks found in " + pos.get(0));
                return 1;
            }
            Block block = blocks.get(blocks.size() - 1);
            if (pos.size() == 2) {
                block = blocks.stream().filter(b -> b.meta().ulid().equals(pos.get(1))).findFirst().orElse(null);
                if (block == null) {
                    err.println("block " + pos.get(1) + " not found");
                    return 1;
                }
            }
            new BlockAnalysis(block, limit).print(out);
            return 0;
        } finally {
            for (Block b : blocks) {
                b.close();
            }
        }
    }

    private int importOpenMetrics(List<String> args, PrintStream out, PrintStream err) throws Exception {
        List<String> pos = new ArrayList<>();
        parse(args, pos);
        if (pos.size() != 2) {
            throw new UsageException("import-openmetrics needs FILE and DIR");
        }
        List<Path> blocks = new BlockImporter(BlockImporter.DEFAULT_BLOCK_DURATION).importFile(Paths.get(pos.get(0)), Paths.get(pos.get(1)));
        for (Path p : blocks) {
            BlockMeta m = BlockMeta.read(p);
            out.println("BLOCK ULID " + m.ulid() + " MIN TIME " + m.minTime() + " MAX TIME " + m.maxTime() + " NUM SAMPLES "
                    + m.stats().numSamples() + " NUM SERIES " + m.stats().numSeries());
        }
        return 0;
    }

    /** Cardinality figures of one block, in the spirit of promtool tsdb analyze. */
    static final class BlockAnalysis {
        private final Block block;
        private final int limit;

        BlockAnalysis(Block block, int limit) {
            this.block = block;
            this.limit = limit;
        }

        void print(PrintStream out) {
            IndexReader ix = block.index();
            BlockMeta m = block.meta();
            out.println("Block ID: " + m.ulid());
            out.println("Duration: " + formatDuration(m.maxTime() - m.minTime()));
            out.println("Total Series: " + m.stats().numSeries());
            out.println("Label names: " + ix.labelNames().size());
            long pairs = 0;
            long entries = 0;
            List<Map.Entry<String, Long>> namesByValues = new ArrayList<>();
            List<Map.Entry<String, Long>> namesByEntries = new ArrayList<>();
            List<Map.Entry<String, Long>> pairsByEntries = new ArrayList<>();
            for (String n : ix.labelNames()) {
                List<String> values = ix.labelValues(n);
                pairs += values.size();
                long total = 0;
                for (String v : values) {
                    int c = ix.postingsCount(n, v);
                    total += c;
                    pairsByEntries.add(Map.entry(n + "=" + v, (long) c));
                }
                entries += total;
                namesByValues.add(Map.entry(n, (long) values.size()));
                namesByEntries.add(Map.entry(n, total));
            }
            out.println("Postings (unique label pairs): " + pairs);
            out.println("Postings entries (total label pairs): " + entries);
            out.println();
            long samples = 0;
            long chunks = 0;
            ChunkMetas metas = new ChunkMetas();
            Postings all = PostingsForMatchers.select(ix);
            while (all.next()) {
                ix.series(all.at(), metas);
                chunks += metas.size();
            }
            samples = m.stats().numSamples();
            out.println("Chunks: " + chunks);
            out.println("Samples: " + samples);
            top(out, "Label names with highest cumulative label value length:", lengths(ix));
            top(out, "Highest cardinality labels:", namesByValues);
            top(out, "Label names with highest series count:", namesByEntries);
            top(out, "Most common label pairs:", pairsByEntries);
        }

        private static List<Map.Entry<String, Long>> lengths(IndexReader ix) {
            List<Map.Entry<String, Long>> out = new ArrayList<>();
            for (String n : ix.labelNames()) {
                long len = 0;
                for (String v : ix.labelValues(n)) {
                    len += v.length();
                }
                out.add(Map.entry(n, len));
            }
            return out;
        }

        private void top(PrintStream out, String title, List<Map.Entry<String, Long>> rows) {
            rows.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            out.println(title);
            for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                out.println(rows.get(i).getValue() + " " + rows.get(i).getKey());
            }
        }

        static String formatDuration(long ms) {
            long h = ms / 3600000;
            long mnt = (ms % 3600000) / 60000;
            long s = (ms % 60000) / 1000;
            long milli = ms % 1000;
            StringBuilder sb = new StringBuilder();
            if (h > 0) {
                sb.append(h).append('h');
            }
            if (h > 0 || mnt > 0) {
                sb.append(mnt).append('m');
            }
            sb.append(s);
            if (milli > 0) {
                sb.append('.').append(String.format("%03d", milli).replaceAll("0+$", ""));
            }
            return sb.append('s').toString();
        }
    }
}
