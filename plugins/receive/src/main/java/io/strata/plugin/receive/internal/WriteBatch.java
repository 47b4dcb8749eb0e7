package io.strata.plugin.receive.internal;

import io.strata.api.labels.Labels;
import java.util.Arrays;

/**
 * One decoded remote-write request, reused from request to request: the series' label sets (built
 * once per series) and their samples in flat primitive arrays. Series {@code i} owns samples
 * {@code [sampleStart(i), sampleStart(i) + sampleCount(i))}.
 */
public final class WriteBatch {
    private Labels[] labels = new Labels[64];
    private int[] sampleStart = new int[64];
    private int[] sampleCount = new int[64];
    private long[] timestamps = new long[256];
    private double[] values = new double[256];
    private int series;
    private int samples;
    private int histograms;
    private int exemplars;
    private int metadata;
    private String tenant = "";
    private long replica;

    /** Empties the batch, keeping its arrays. */
    public void clear() {
        Arrays.fill(labels, 0, series, null);
        series = 0;
        samples = 0;
        histograms = 0;
        exemplars = 0;
        metadata = 0;
        tenant = "";
        replica = 0;
    }

    /** Starts a series; the following {@link #addSample} calls belong to it. */
    public void addSeries(Labels seriesLabels) {
        if (seriesLabels == null) {
            throw new IllegalArgumentException("series labels are required");
        }
        if (series == labels.length) {
            int n = series * 2;
            labels = Arrays.copyOf(labels, n);
            sampleStart = Arrays.copyOf(sampleStart, n);
            sampleCount = Arrays.copyOf(sampleCount, n);
        }
        labels[series] = seriesLabels;
        sampleStart[series] = samples;
        sampleCount[series] = 0;
        series++;
    }

    /** Adds a sample to the last series. */
    public void addSample(long t, double v) {
        if (series == 0) {
            throw new IllegalStateException("a sample needs a series");
        }
        if (samples == timestamps.length) {
            int n = samples * 2;
            timestamps = Arrays.copyOf(timestamps, n);
            values = Arrays.copyOf(values, n);
        }
        timestamps[samples] = t;
        values[samples] = v;
        samples++;
        sampleCount[series - 1]++;
    }

    /** Sets the labels of the last series (decoders learn them after its samples may have started). */
    public void setLastLabels(Labels seriesLabels) {
        if (series == 0 || seriesLabels == null) {
            throw new IllegalStateException("no series, or no labels");
        }
        labels[series - 1] = seriesLabels;
    }

    /** Removes the last series (and its samples), for a series that turned out to be invalid. */
    public void dropLastSeries() {
        if (series == 0) {
            throw new IllegalStateException("no series to drop");
        }
        series--;
        samples = sampleStart[series];
        labels[series] = null;
    }

    void countHistogram() {
        histograms++;
    }

    void countExemplar() {
        exemplars++;
    }

    void countMetadata() {
        metadata++;
    }

    public int seriesCount() {
        return series;
    }

    public int sampleCount() {
        return samples;
    }

    public int histogramCount() {
        return histograms;
    }

    public int exemplarCount() {
        return exemplars;
    }

    public int metadataCount() {
        return metadata;
    }

    public Labels labels(int i) {
        return labels[i];
    }

    public int sampleStart(int i) {
        return sampleStart[i];
    }

    public int sampleCount(int i) {
        return sampleCount[i];
    }

    public long timestamp(int sample) {
        return timestamps[sample];
    }

    public double value(int sample) {
        return values[sample];
    }

    /** The tenant carried in the request body (Thanos WriteRequest field 2), or "". */
    public String tenant() {
        return tenant;
    }

    public void tenant(String t) {
        tenant = t == null ? "" : t;
    }

    /** The replica number carried by a forwarded request (0 when not replicated yet). */
    public long replica() {
        return replica;
    }

    public void replica(long r) {
        replica = r;
    }
}
