package io.strata.plugin.discovery.internal;

/** A file SD file that cannot be used, with the line where the problem is. */
public final class FileSdException extends Exception {
    private final int line;

    /**
     * @param line the 1-based line of the problem
     * @param message what is wrong and what was expected
     */
    public FileSdException(int line, String message) {
        super(message);
        if (line < 1) {
            throw new IllegalArgumentException("line must be at least 1: " + line);
        }
        this.line = line;
    }

    /** The 1-based line of the problem. */
    public int line() {
        return line;
    }
}
