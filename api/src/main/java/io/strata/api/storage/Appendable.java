package io.strata.api.storage;

/** A storage that accepts samples. */
public interface Appendable {
    Appender appender();
}
