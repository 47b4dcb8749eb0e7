package io.strata.kernel.config;

/** A configuration problem worth exit code 2: says which key, where it came from and what was expected. */
public final class ConfigError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
