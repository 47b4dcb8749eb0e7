package io.strata.plugin.discovery.internal;

import io.strata.api.discovery.Discovery;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoints listed in file SD files ({@link FileSdParser}). A configured path is a file, or a glob
 * in its last element ({@code /etc/strata/sd/*.yaml}). The files are read at start, again whenever
 * something changes in their directories (a {@link WatchService}), and again every refresh
 * interval, which also covers file systems where watching does not work. A file that cannot be
 * read or parsed keeps the targets it had last (and the reason is logged with the file and line);
 * a file that disappears takes its targets with it. DNS targets ({@code dns+...}) are looked up at
 * every periodic refresh and whenever the targets change.
 */
public final class FileDiscovery implements Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(FileDiscovery.class);

    private final String name;
    private final List<Path> patterns;
    private final Duration refreshInterval;
    private final EndpointResolver resolver;
    private final boolean watch;
    private final Map<Path, List<Endpoint>> lastGood = new LinkedHashMap<>();
    private final Set<Path> missing = new HashSet<>();
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private List<Endpoint> lastEndpoints;
    private ListPublisher publisher;
    private WatchService watcher;
    private Thread thread;
    private volatile boolean closed;

    /**
     * @param name the discovery's name, for its thread and log messages
     * @param patterns files, or globs in the last path element; each name ends with .json, .yml or .yaml
     * @param refreshInterval how often the files are read even when no change was seen; positive
     * @param resolver looks up DNS targets
     * @param watch whether to watch the files' directories for changes (besides the periodic refresh)
     */
    public FileDiscovery(String name, List<Path> patterns, Duration refreshInterval, EndpointResolver resolver, boolean watch) {
        this.name = Objects.requireNonNull(name, "name");
        this.patterns = List.copyOf(Objects.requireNonNull(patterns, "patterns"));
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.watch = watch;
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive: " + refreshInterval);
        }
        for (Path pattern : this.patterns) {
            FileSdParser.Format.of(pattern);
        }
    }

    @Override
    public synchronized void start(Consumer<List<String>> listener) {
        Objects.requireNonNull(listener, "listener");
        if (publisher != null) {
            throw new IllegalStateException("discovery " + name + " is already started");
        }
        if (closed) {
            throw new IllegalStateException("discovery " + name + " is closed");
        }
        if (watch) {
            try {
                watcher = patterns.isEmpty() ? null : patterns.get(0).getFileSystem().newWatchService();
            } catch (IOException | UnsupportedOperationException unavailable) {
                LOG.warn("discovery {}: cannot watch for file changes ({}), reading the files every {} only",
                        name, unavailable.toString(), refreshInterval);
            }
        }
        // watch first, so that a change made while the files are read is not missed
        watchDirectories();
        publisher = new ListPublisher(listener);
        publisher.publish(resolver.resolve(readFiles()));
        thread = DaemonThreads.start(name, this::run);
    }

    /**
     * Reads the files and tells the listener if the list changed; DNS targets are looked up again
     * when {@code lookUpAgain} or when the targets changed. False when not started.
     */
    synchronized boolean refresh(boolean lookUpAgain) {
        if (publisher == null || closed) {
            return false;
        }
        watchDirectories();
        List<Endpoint> before = lastEndpoints;
        List<Endpoint> endpoints = readFiles();
        if (!lookUpAgain && endpoints.equals(before)) {
            return false;
        }
        return publisher.publish(resolver.resolve(endpoints));
    }

    private void run() {
        long nextRefresh = System.nanoTime() + refreshInterval.toNanos();
        while (!closed) {
            long wait = nextRefresh - System.nanoTime();
            boolean periodic = true;
            try {
                if (wait > 0) {
                    WatchService w = watcher;
                    if (w == null) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } else {
                        WatchKey key = w.poll(wait, TimeUnit.NANOSECONDS);
                        if (key != null) {
                            periodic = false;
                            for (; key != null; key = w.poll()) {
                                key.pollEvents();
                                if (!key.reset()) {
                                    forget(key);
                                }
                            }
                        }
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException stopped) {
                return;
            }
            if (closed) {
                return;
            }
            try {
                refresh(periodic);
            } catch (RuntimeException failed) {
                LOG.error("discovery {}: refreshing failed", name, failed);
            }
            if (periodic) {
                nextRefresh = System.nanoTime() + refreshInterval.toNanos();
            }
        }
    }

    private synchronized void forget(WatchKey key) {
        watched.values().remove(key);
    }

    /** Watches the directories of the files that are not watched yet (a directory may appear later). */
    private synchronized void watchDirectories() {
        if (watcher == null) {
            return;
        }
        for (Path pattern : patterns) {
            Path directory = directoryOf(pattern);
            if (watched.containsKey(directory)) {
                continue;
            }
            try {
                watched.put(directory, directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
            } catch (NoSuchFileException absent) {
                LOG.debug("discovery {}: directory {} does not exist (yet)", name, directory);
            } catch (IOException | RuntimeException failed) {
                LOG.debug("discovery {}: cannot watch {}: {}", name, directory, failed.toString());
            }
        }
    }

    private static Path directoryOf(Path pattern) {
        Path parent = pattern.toAbsolutePath().normalize().getParent();
        return parent == null ? pattern.toAbsolutePath().getRoot() : parent;
    }

    private static boolean isGlob(Path pattern) {
        String last = String.valueOf(pattern.getFileName());
        return last.indexOf('*') >= 0 || last.indexOf('?') >= 0 || last.indexOf('[') >= 0 || last.indexOf('{') >= 0;
    }

    /** The files a pattern names now, sorted. */
    private List<Path> filesOf(Path pattern) {
        if (!isGlob(pattern)) {
            return List.of(pattern);
        }
        Set<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directoryOf(pattern), String.valueOf(pattern.getFileName()))) {
            for (Path file : found) {
                if (Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        } catch (NoSuchFileException absent) {
            // no directory, no files
        } catch (IOException | RuntimeException failed) {
            LOG.warn("discovery {}: cannot list {}: {}", name, pattern, failed.toString());
        }
        return new ArrayList<>(files);
    }

    /** Reads every file; a file that cannot be read or parsed keeps its last good targets. */
    private synchronized List<Endpoint> readFiles() {
        Set<Path> present = new LinkedHashSet<>();
        for (Path pattern : patterns) {
            for (Path file : filesOf(pattern)) {
                present.add(file);
                String content;
                try {
                    content = read(file);
                } catch (NoSuchFileException absent) {
                    present.remove(file);
                    if (missing.add(file)) {
                        LOG.warn("discovery {}: file {} does not exist; it has no targets until it appears", name, file);
                    }
                    continue;
                } catch (IOException failed) {
                    LOG.warn("discovery {}: cannot read {}, keeping its last good {} target(s): {}",
                            name, file, lastGood.getOrDefault(file, List.of()).size(), failed.toString());
                    continue;
                }
                missing.remove(file);
                try {
                    lastGood.put(file, FileSdParser.parse(content, FileSdParser.Format.of(file)));
                } catch (FileSdException invalid) {
                    LOG.warn("discovery {}: {}:{}: {}; keeping its last good {} target(s)",
                            name, file, invalid.line(), invalid.getMessage(), lastGood.getOrDefault(file, List.of()).size());
                } catch (IllegalArgumentException badName) {
                    LOG.warn("discovery {}: ignoring {}: {}", name, file, badName.getMessage());
                }
            }
        }
        lastGood.keySet().retainAll(present);
        List<Endpoint> endpoints = new ArrayList<>();
        for (Path file : present) {
            endpoints.addAll(lastGood.getOrDefault(file, List.of()));
        }
        lastEndpoints = List.copyOf(endpoints);
        return lastEndpoints;
    }

    private static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notText) {
            throw new IOException("not UTF-8 text", notText);
        }
    }

    /** The background thread, or null before start. */
    synchronized Thread thread() {
        return thread;
    }

    @Override
    public void close() {
        Thread t;
        WatchService w;
        synchronized (this) {
            closed = true;
            t = thread;
            w = watcher;
        }
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // closing releases the watches; nothing else to do
            }
        }
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public String toString() {
        return "discovery " + name;
    }
}
