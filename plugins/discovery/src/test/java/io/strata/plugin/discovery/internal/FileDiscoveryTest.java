package io.strata.plugin.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscoveryTest {
    /** Long enough that only the watch can explain a prompt reload. */
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    private static FileDiscovery discovery(List<Path> files, Duration refresh, boolean watch, FakeDnsResolver dns) {
        return new FileDiscovery("files", files, refresh, new EndpointResolver(dns, "files"), watch);
    }

    /** Replaces a file the way operators should: write a temporary file, then rename it over. */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void readsYamlAndJsonFilesAtStart() throws Exception {
        Path yaml = dir.resolve("a.yaml");
        Path json = dir.resolve("b.json");
        Files.writeString(yaml, "- targets: [store-2:10901, store-1:10901]\n");
        Files.writeString(json, "[{\"targets\": [\"store-1:10901\", \"dns+store:10901\"]}]");
        FakeDnsResolver dns = new FakeDnsResolver().address("store", "10.0.0.1");
        Recorder recorder = new Recorder();
        try (FileDiscovery d = discovery(List.of(yaml, json), NEVER, true, dns)) {
            d.start(recorder);
            assertEquals(List.of(List.of("10.0.0.1:10901", "store-1:10901", "store-2:10901")), recorder.calls());
            Thread thread = d.thread();
            assertTrue(thread.isDaemon());
            assertEquals("strata-discovery-files", thread.getName());
        }
    }

    @Test
    void reloadsWhenTheFileChanges() throws Exception {
        Path file = dir.resolve("stores.yml");
        Files.writeString(file, "- targets: [a:1]\n");
        Recorder recorder = new Recorder();
        FileDiscovery d = discovery(List.of(file), NEVER, true, new FakeDnsResolver());
        try (d) {
            d.start(recorder);
            assertEquals(List.of("a:1"), recorder.last());

            writeAtomically(file, "- targets: [a:1, b:2]\n");
            recorder.awaitLast(List.of("a:1", "b:2"));

            Files.writeString(file, "- targets:\n  - c:3\n");
            recorder.awaitLast(List.of("c:3"));
        }
        Recorder.await("the thread to stop after close()", () -> !d.thread().isAlive());
    }

    @Test
    void invalidFileKeepsTheLastGoodList() throws Exception {
        Path file = dir.resolve("stores.yaml");
        Files.writeString(file, "- targets: [a:1]\n");
        Recorder recorder = new Recorder();
        try (FileDiscovery d = discovery(List.of(file), NEVER, false, new FakeDnsResolver())) {
            d.start(recorder);
            writeAtomically(file, "- targets: [a:1]\n  - b:2\n");
            assertFalse(d.refresh(true));
            writeAtomically(file, "- targets: [a:1, bad]\n");
            assertFalse(d.refresh(true));
            assertEquals(List.of(List.of("a:1")), recorder.calls());

            writeAtomically(file, "- targets: [a:1, b:2]\n");
            assertTrue(d.refresh(true));
            assertEquals(List.of("a:1", "b:2"), recorder.last());
        }
    }

    @Test
    void invalidFileAtStartContributesNothingUntilFixed() throws Exception {
        Path good = dir.resolve("good.json");
        Path bad = dir.resolve("bad.json");
        Files.writeString(good, "[{\"targets\": [\"a:1\"]}]");
        Files.writeString(bad, "[{\"targets\": [\"b:2\"]");
        Recorder recorder = new Recorder();
        try (FileDiscovery d = discovery(List.of(good, bad), NEVER, true, new FakeDnsResolver())) {
            d.start(recorder);
            assertEquals(List.of("a:1"), recorder.last());
            writeAtomically(bad, "[{\"targets\": [\"b:2\"]}]");
            recorder.awaitLast(List.of("a:1", "b:2"));
        }
    }

    @Test
    void periodicRefreshWorksWithoutWatching() throws Exception {
        Path file = dir.resolve("stores.yaml");
        Files.writeString(file, "- targets: [a:1]\n");
        Recorder recorder = new Recorder();
        try (FileDiscovery d = discovery(List.of(file), Duration.ofMillis(20), false, new FakeDnsResolver())) {
            d.start(recorder);
            Files.writeString(file, "- targets: [b:2]\n");
            recorder.awaitLast(List.of("b:2"));
        }
    }

    @Test
    void globPicksUpNewFilesAndRemovedFilesTakeTheirTargets() throws Exception {
        Path sd = Files.createDirectory(dir.resolve("sd"));
        Files.writeString(sd.resolve("one.yaml"), "- targets: [a:1]\n");
        Files.writeString(sd.resolve("ignored.json"), "[{\"targets\": [\"x:9\"]}]");
        Recorder recorder = new Recorder();
        try (FileDiscovery d = discovery(List.of(sd.resolve("*.yaml")), NEVER, true, new FakeDnsResolver())) {
            d.start(recorder);
            assertEquals(List.of("a:1"), recorder.last());
            writeAtomically(sd.resolve("two.yaml"), "- targets: [b:2]\n");
            recorder.awaitLast(List.of("a:1", "b:2"));
            Files.delete(sd.resolve("one.yaml"));
            recorder.awaitLast(List.of("b:2"));
        }
    }

    @Test
    void missingFileHasNoTargetsUntilItAppears() throws Exception {
        Path file = dir.resolve("later").resolve("stores.yaml");
        Recorder recorder = new Recorder();
        try (FileDiscovery d = discovery(List.of(file), NEVER, true, new FakeDnsResolver())) {
            d.start(recorder);
            assertEquals(List.of(List.of()), recorder.calls());
            Files.createDirectories(file.getParent());
            Files.writeString(file, "- targets: [a:1]\n");
            // the directory did not exist when watching began: the next refresh finds the file
            assertTrue(d.refresh(true));
            assertEquals(List.of("a:1"), recorder.last());
            // and from now on its directory is watched
            writeAtomically(file, "- targets: [b:2]\n");
            recorder.awaitLast(List.of("b:2"));
        }
    }

    @Test
    void dnsTargetsAreLookedUpAgainAtEachPeriodicRefresh() throws Exception {
        Path file = dir.resolve("stores.yaml");
        Files.writeString(file, "- targets: ['dns+store:10901']\n");
        FakeDnsResolver dns = new FakeDnsResolver().address("store", "10.0.0.1");
        Recorder recorder = new Recorder();
        try (FileDiscovery d = discovery(List.of(file), NEVER, false, dns)) {
            d.start(recorder);
            assertEquals(List.of("10.0.0.1:10901"), recorder.last());
            dns.address("store", "10.0.0.2");
            assertFalse(d.refresh(false), "an unchanged file is not looked up again on a watch event");
            assertTrue(d.refresh(true));
            assertEquals(List.of("10.0.0.2:10901"), recorder.last());
        }
    }
}
