package io.strata.plugin.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strata.api.labels.Labels;
import org.junit.jupiter.api.Test;

class PrometheusConfigYamlTest {
    @Test
    void readsExternalLabelsAsPrometheusWritesThem() {
        String yaml = "global:\n  scrape_interval: 1s\n  external_labels:\n    cluster: eu1\n    replica: \"0\"\n    weird: 'a b: c'''\n"
                + "    esc: \"x\\\"y\\u00e9\"\n  evaluation_interval: 1m\nscrape_configs:\n- job_name: prometheus\n  external_labels:\n    no: pe\n";
        assertEquals(Labels.of("cluster", "eu1", "replica", "0", "weird", "a b: c'", "esc", "x\"y\u00e9"), PrometheusConfigYaml.externalLabels(yaml));
    }

    @Test
    void noGlobalSectionOrNoExternalLabelsMeansNone() {
        assertEquals(Labels.EMPTY, PrometheusConfigYaml.externalLabels("scrape_configs: []\n"));
        assertEquals(Labels.EMPTY, PrometheusConfigYaml.externalLabels("global:\n  scrape_interval: 1m\nrule_files: []\n"));
        assertEquals(Labels.EMPTY, PrometheusConfigYaml.externalLabels("global:\n  external_labels: {}\n"));
    }

    @Test
    void flowMappingsAndCommentsAreUnderstood() {
        assertEquals(Labels.of("a", "1", "b", "x, y"), PrometheusConfigYaml.externalLabels("global:\n  external_labels: {a: 1, b: 'x, y'}\n"));
        assertEquals(Labels.of("a", "1"), PrometheusConfigYaml.externalLabels("global: # g\n  external_labels:\n    # c\n    a: 1 # one\n"));
    }

    @Test
    void aLineWithoutAValueIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusConfigYaml.externalLabels("global:\n  external_labels:\n    justaword\n"));
    }
}
