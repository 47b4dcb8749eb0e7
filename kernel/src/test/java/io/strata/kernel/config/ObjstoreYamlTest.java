package io.strata.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjstoreYamlTest {
    @TempDir
    Path temporaryDirectory;

    @Test
    void filesystemBlockStyle() {
        Config config = ObjstoreYaml.parse("type: FILESYSTEM\nconfig:\n  directory: /var/lib/bucket\n", "objstore.yml");
        assertEquals("filesystem", config.getString("type"));
        assertEquals("/var/lib/bucket", config.getString("filesystem.directory"));
        assertFalse(config.hasPath("prefix"));
    }

    @Test
    void filesystemFlowStyleWithPrefix() {
        Config config = ObjstoreYaml.parse("type: FILESYSTEM\nconfig: {directory: \"/data/b\"}\nprefix: tenant-a\n", "x");
        assertEquals("/data/b", config.getString("filesystem.directory"));
        assertEquals("tenant-a", config.getString("prefix"));
    }

    @Test
    void s3WithCommentsQuotesNestingAndTypedValues() {
        String yaml = String.join("\n",
                "# Thanos objstore file",
                "---",
                "type: s3   # the provider",
                "config:",
                "  bucket: \"metrics#1\"      # a '#' inside quotes is not a comment",
                "  endpoint: 'minio:9000'",
                "  access_key: it's-plain",
                "  secret_key: \"tab\\there \\\"quoted\\\" \\u00e9\"",
                "  insecure: true",
                "  part_size: 67108864",
                "  session_token:",
                "  signature_version2: ~",
                "  http_config:",
                "    idle_conn_timeout: 1m30s",
                "    insecure_skip_verify: false",
                "    tls_config: {ca_file: /etc/ca.pem, server_name: ''}",
                "  sse_config:",
                "    type: SSE-S3",
                "  list: [a, 'b c', \"d\"]",
                "",
                "prefix: ''",
                "");
        Config config = ObjstoreYaml.parse(yaml, "objstore.yml");
        assertEquals("s3", config.getString("type"));
        Config s3 = config.getConfig("s3");
        assertEquals("metrics#1", s3.getString("bucket"));
        assertEquals("minio:9000", s3.getString("endpoint"));
        assertEquals("it's-plain", s3.getString("access_key"));
        assertEquals("tab\there \"quoted\" é", s3.getString("secret_key"));
        assertTrue(s3.getBoolean("insecure"));
        assertEquals(67108864L, s3.getLong("part_size"));
        assertFalse(s3.hasPath("session_token"), "an empty value leaves the key out");
        assertFalse(s3.hasPath("signature_version2"), "~ is null and leaves the key out");
        assertEquals("1m30s", s3.getString("http_config.idle_conn_timeout"));
        assertFalse(s3.getBoolean("http_config.insecure_skip_verify"));
        assertEquals("/etc/ca.pem", s3.getString("http_config.tls_config.ca_file"));
        assertEquals("", s3.getString("http_config.tls_config.server_name"));
        assertEquals("SSE-S3", s3.getString("sse_config.type"));
        assertEquals(List.of("a", "b c", "d"), s3.getStringList("list"));
        assertFalse(config.hasPath("prefix"), "an empty prefix is no prefix");
    }

    @Test
    void keysAreKeptLiterallyEvenWithDots() {
        Config config = ObjstoreYaml.parse("type: GCS\nconfig:\n  \"trace.enable\": true\n  bucket: b\n", "x");
        assertTrue(config.getConfig("gcs").root().containsKey("trace.enable"));
        assertEquals("b", config.getString("gcs.bucket"));
    }

    @Test
    void valuesConvertToDurations() {
        Config config = ObjstoreYaml.parse("type: AZURE\nconfig:\n  timeout: 90s\n", "x");
        assertEquals(Duration.ofSeconds(90), config.getDuration("azure.timeout"));
    }

    @Test
    void missingConfigIsAnEmptyBlock() {
        Config config = ObjstoreYaml.parse("type: FILESYSTEM\n", "x");
        assertTrue(config.getConfig("filesystem").isEmpty());
    }

    @Test
    void readsAFileAndNamesItInErrors() throws Exception {
        Path file = temporaryDirectory.resolve("bucket.yml");
        Files.writeString(file, "type: FILESYSTEM\r\nconfig:\r\n  directory: ./data\r\n");
        assertEquals("./data", ObjstoreYaml.read(file).getString("filesystem.directory"));

        Files.writeString(file, "type: FILESYSTEM\nconfig:\n  - directory: ./data\n");
        ConfigException error = assertThrows(ConfigException.class, () -> ObjstoreYaml.read(file));
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("3"), "names the line: " + error.getMessage());
    }

    @Test
    void rejectsWhatItDoesNotUnderstandWithTheLine() {
        assertError("config:\n  directory: x\n", "missing 'type'");
        assertError("", "missing 'type'");
        assertError("type: S3\nbucket: x\n", "unknown key 'bucket'");
        assertError("type: S3\nconfig: x\n", "'config' must be a mapping");
        assertError("type: S3\ntype: GCS\n", "duplicate key");
        assertError("type: S3\nconfig:\n  a: 1\n    b: 2\n", "objstore.yml: 4:");
        assertError("type: S3\nconfig:\n  a: |\n    text\n", "block scalars");
        assertError("type: S3\nconfig: {a: 1,\n  b: 2}\n", "same line");
        assertError("type: S3\nconfig:\n  a: \"open\n", "unterminated");
        assertError("type: S3\nconfig:\n  a: *alias\n", "aliases");
        assertError("type: S3\nconfig:\n\ta: 1\n", "tabs");
        assertError("type S3\n", "key: value");
    }

    private static void assertError(String yaml, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> ObjstoreYaml.parse(yaml, "objstore.yml"));
        assertTrue(error.getMessage().contains(expected), "expected '" + expected + "' in: " + error.getMessage());
        assertTrue(error.getMessage().contains("objstore.yml"), error.getMessage());
    }
}
