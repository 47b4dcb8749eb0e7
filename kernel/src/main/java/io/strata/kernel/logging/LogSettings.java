package io.strata.kernel.logging;

import java.io.PrintStream;
import java.util.Locale;

/** The process-wide log level and format; changed once configuration is loaded. */
public final class LogSettings {
    /** Output formats. */
    public enum Format { LOGFMT, JSON }

    private static volatile int threshold = LogLevel.INFO.ordinal();
    private static volatile Format format = Format.LOGFMT;
    private static volatile PrintStream out = System.err;

    private LogSettings() {
    }

    /** Applies a level name (debug, info, warn, error) and a format name (logfmt, json). */
    public static void apply(String level, String formatName) {
        threshold = LogLevel.parse(level).ordinal();
        format = switch (formatName.toLowerCase(Locale.ROOT)) {
            case "logfmt" -> Format.LOGFMT;
            case "json" -> Format.JSON;
            default -> throw new IllegalArgumentException("log format must be logfmt or json, got '" + formatName + "'");
        };
    }

    static boolean enabled(LogLevel level) {
        return level.ordinal() >= threshold;
    }

    static Format format() {
        return format;
    }

    static PrintStream out() {
        return out;
    }

    /** Redirects log output (tests). */
    public static void output(PrintStream stream) {
        out = stream;
    }

    /** Levels, lowest first. */
    public enum LogLevel {
        TRACE, DEBUG, INFO, WARN, ERROR;

        static LogLevel parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("log level must be one of debug, info, warn, error, got '" + s + "'");
            }
        }
    }
}
