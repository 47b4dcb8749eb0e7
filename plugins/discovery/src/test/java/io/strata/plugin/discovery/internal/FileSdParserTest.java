package io.strata.plugin.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.plugin.discovery.internal.FileSdParser.Format;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileSdParserTest {
    private static List<String> yaml(String text) throws FileSdException {
        return texts(FileSdParser.parse(text, Format.YAML));
    }

    private static List<String> json(String text) throws FileSdException {
        return texts(FileSdParser.parse(text, Format.JSON));
    }

    private static List<String> texts(List<Endpoint> endpoints) {
        return endpoints.stream().map(Endpoint::text).toList();
    }

    @Test
    void readsYamlBlockStyleWithCommentsAndQuotes() throws Exception {
        String text = """
                # stores of region eu-1
                ---
                - targets:
                    - store-1:10901          # plain
                    - 'store-2:10901'        # single quotes
                    - "dns+store-3:10901"    # double quotes, DNS prefix
                  labels:
                    zone: eu-1
                    'team': "o'brien # not a comment"

                - labels: {zone: eu-2}
                  targets:
                  - 10.0.0.7:9090
                  - "[2001:db8::1]:10901"
                """;
        assertEquals(List.of("store-1:10901", "store-2:10901", "dns+store-3:10901", "10.0.0.7:9090", "[2001:db8::1]:10901"),
                yaml(text));
    }

    @Test
    void readsYamlFlowStyle() throws Exception {
        assertEquals(List.of("a:1", "b:2", "c:3"), yaml("- targets: [a:1, 'b:2', \"c:3\",]  # trailing comma\n"));
        assertEquals(List.of("a:1", "b:2"), yaml("""
                [
                  {targets: [a:1], labels: {x: y}},   # first group
                  {"targets": [
                      'b:2'
                  ]}
                ]
                """));
    }

    @Test
    void singleQuotesEscapeByDoubling() throws Exception {
        FileSdException e = assertThrows(FileSdException.class, () -> yaml("- targets: ['it''s:1']\n"));
        assertTrue(e.getMessage().contains("\"it's:1\""), e.getMessage());
    }

    @Test
    void emptyYamlDocumentsHaveNoTargets() throws Exception {
        assertEquals(List.of(), yaml(""));
        assertEquals(List.of(), yaml("# nothing yet\n---\n"));
        assertEquals(List.of(), yaml("[]\n"));
        assertEquals(List.of(), yaml("- targets: []\n- targets:\n"));
    }

    @Test
    void readsJson() throws Exception {
        String text = """
                [
                  {"targets": ["store-1:10901", "dnssrv+_grpc._tcp.store"], "labels": {"zone": "eu\\u002d1"}},
                  {"labels": {}, "targets": ["store-2:10901"]}
                ]
                """;
        assertEquals(List.of("store-1:10901", "dnssrv+_grpc._tcp.store", "store-2:10901"), json(text));
        assertEquals(List.of(), json("[]"));
    }

    @Test
    void jsonIsStrict() {
        assertLine(2, "comments are not allowed", () -> json("[\n // no\n]"));
        assertLine(1, "double quotes", () -> json("[{'targets': []}]"));
        assertLine(3, "expected a JSON value", () -> json("[\n{\"targets\": [\"a:1\",\n ]}]"));
        assertLine(1, "empty file", () -> json(""));
        assertLine(2, "after the JSON document", () -> json("[]\n[]"));
        assertLine(1, "expected a target \"host:port\", got 10901", () -> json("[{\"targets\": [10901]}]"));
    }

    @Test
    void invalidDocumentsNameTheLine() {
        assertLine(4, "target \"store-2\": the port is missing", () -> yaml("""
                - targets:
                    - store-1:10901

                    - store-2
                """));
        assertLine(2, "unknown key \"target\"", () -> yaml("- targets: [a:1]\n  target: [b:2]\n"));
        assertLine(3, "tabs are not allowed", () -> yaml("- targets:\n  - a:1\n\t- b:2\n"));
        assertLine(1, "anchors, aliases and tags", () -> yaml("- targets: &x [a:1]\n"));
        assertLine(2, "block scalars", () -> yaml("- targets:\n  - |\n    a:1\n"));
        assertLine(2, "several YAML documents", () -> yaml("- targets: [a:1]\n---\n- targets: [b:2]\n"));
        assertLine(1, "expected a list of target groups", () -> yaml("targets: [a:1]\n"));
        assertLine(1, "expected a target group", () -> yaml("- a:1\n"));
        assertLine(1, "is never closed", () -> yaml("- targets: [a:1,\n   b:2\n"));
        assertLine(3, "check the indentation", () -> yaml("- targets:\n    - a:1\n      - b:2\n"));
        assertLine(2, "duplicate key \"targets\"", () -> yaml("- targets: [a:1]\n  targets: [b:2]\n"));
        assertLine(2, "expected a string value", () -> json("[{\"targets\": [],\n \"labels\": {\"a\": 1}}]"));
    }

    @Test
    void formatFollowsTheFileName() {
        assertEquals(Format.JSON, Format.of(Path.of("sd/stores.json")));
        assertEquals(Format.YAML, Format.of(Path.of("sd/stores.yml")));
        assertEquals(Format.YAML, Format.of(Path.of("sd/*.YAML")));
        assertThrows(IllegalArgumentException.class, () -> Format.of(Path.of("sd/stores.txt")));
    }

    private interface Parse {
        void run() throws FileSdException;
    }

    private static void assertLine(int line, String message, Parse parse) {
        FileSdException e = assertThrows(FileSdException.class, parse::run);
        assertTrue(e.getMessage().contains(message), () -> "expected \"" + message + "\" in: " + e.getMessage());
        assertEquals(line, e.line(), () -> "line of: " + e.getMessage());
    }
}
