package io.strata.api.storage;

/** Options for label name and value look-ups; {@code limit} is 0 for no limit. */
public record LabelHints(int limit) {
    public static final LabelHints NONE = new LabelHints(0);
}
