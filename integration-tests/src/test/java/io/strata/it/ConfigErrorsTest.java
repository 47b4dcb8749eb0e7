package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees for bad configuration: exit code 2 and a message that says where and what. */
class ConfigErrorsTest {
    @TempDir
    Path work;

    @Test
    void malformedConfigNamesFileAndLine() throws Exception {
        Path conf = work.resolve("broken.conf");
        Files.writeString(conf, "strata {\n  roles = []\n  http.address = \"127.0.0.1:0\n}\n");
        StrataProcess.Result r = StrataProcess.exec(work, "run", "--config", conf.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("broken.conf: 3"), r.output());
    }

    @Test
    void wrongValueNamesKeyValueAndExpectation() throws Exception {
        Path conf = work.resolve("strata.conf");
        Files.writeString(conf, "strata {\n  roles = []\n  http.address = \"localhost\"\n}\n");
        StrataProcess.Result r = StrataProcess.exec(work, "run", "--config", conf.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("strata.conf: 3"), r.output());
        assertTrue(r.output().contains("strata.http.address = 'localhost'"), r.output());
        assertTrue(r.output().contains("expected host:port"), r.output());

        StrataProcess.Result level = StrataProcess.exec(work, "run", "-Dstrata.log.level=loud");
        assertEquals(2, level.exitCode(), level.output());
        assertTrue(level.output().contains("strata.log.level = 'loud': expected one of [debug, info, warn, error]"), level.output());
    }

    @Test
    void unknownFlagAndUnknownRoleListWhatIsKnown() throws Exception {
        StrataProcess.Result flag = StrataProcess.exec(work, "run", "--htp-address=:1");
        assertEquals(2, flag.exitCode(), flag.output());
        assertTrue(flag.output().contains("unknown flag --htp-address") && flag.output().contains("--http-address"), flag.output());

        StrataProcess.Result role = StrataProcess.exec(work, "nonexistent-role", "--http-address=127.0.0.1:0",
                "--grpc-address=127.0.0.1:0");
        assertEquals(2, role.exitCode(), role.output());
        assertTrue(role.output().contains("unknown role type 'nonexistent-role'; known types:"), role.output());
    }

    @Test
    void portInUseNamesPortAndKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            StrataProcess.Result r = StrataProcess.exec(work, "run", "--http-address=127.0.0.1:" + port,
                    "--grpc-address=127.0.0.1:0", "--remote-write.address=127.0.0.1:0");
            assertEquals(2, r.exitCode(), r.output());
            assertTrue(r.output().contains("port " + port + " is already in use") && r.output().contains("strata.http.address"),
                    r.output());
        }
    }

    @Test
    void everyShippedExampleConfigIsValid() throws Exception {
        java.util.List<Path> confs;
        try (var s = Files.list(StrataProcess.HOME.resolve("conf"))) {
            confs = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(confs.size() >= 5, "conf/ ships the all-in-one and an example per role: " + confs);
        for (Path conf : confs) {
            StrataProcess.Result r = StrataProcess.exec(work, "check-config", conf.toString());
            assertEquals(0, r.exitCode(), conf + ":\n" + r.output());
        }
    }

    @Test
    void checkConfigPrintsEffectiveConfigWithOrigins() throws Exception {
        Path conf = work.resolve("mine.conf");
        Files.writeString(conf, "strata.http.address = \"127.0.0.1:19999\"\n");
        StrataProcess.Result r = StrataProcess.exec(work, "check-config", conf.toString(), "--log.level=debug");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("mine.conf: 1"), "origin of the file's value: " + r.output());
        assertTrue(r.output().contains("--log.level"), "origin of the flag's value: " + r.output());
        assertTrue(r.output().contains("reference.conf"), "origin of defaults: " + r.output());

        StrataProcess.Result json = StrataProcess.exec(work, "check-config", conf.toString(), "--log.format=json");
        assertEquals(0, json.exitCode(), json.output());
        String firstLogLine = json.output().substring(json.stdout().length()).lines().findFirst().orElse("");
        assertTrue(firstLogLine.startsWith("{\"ts\":\"") && firstLogLine.contains("\"level\":\"info\""), "JSON log lines: " + firstLogLine);

        Path bad = work.resolve("bad.conf");
        Files.writeString(bad, "strata.roles = [\n");
        StrataProcess.Result b = StrataProcess.exec(work, "check-config", bad.toString());
        assertEquals(2, b.exitCode(), b.output());
        assertTrue(b.output().contains("bad.conf"), b.output());
    }
}
