package io.strata.plugin.promql.parser;

/** A syntax or type error in a PromQL expression, with the byte range it concerns. */
public final class ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int start;
    private final int end;
    private final String detail;

    public ParseException(int start, int end, String detail, String input) {
        super(format(start, input, detail), null, false, false);
        this.start = start;
        this.end = end;
        this.detail = detail;
    }

    private static String format(int pos, String input, String detail) {
        int line = 1;
        int col = 1;
        if (input != null) {
            for (int i = 0; i < Math.min(pos, input.length()); i++) {
                if (input.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
        }
        return line + ":" + col + ": parse error: " + detail;
    }

    /** Offset of the first character concerned. */
    public int start() {
        return start;
    }

    /** Offset after the last character concerned. */
    public int end() {
        return end;
    }

    /** The message without the position prefix. */
    public String detail() {
        return detail;
    }
}
