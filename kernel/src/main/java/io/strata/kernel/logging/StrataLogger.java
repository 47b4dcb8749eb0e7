package io.strata.kernel.logging;

import io.strata.kernel.logging.LogSettings.LogLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Writes one line per event in logfmt or JSON, like Prometheus and Thanos do. */
final class StrataLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final String component;

    StrataLogger(String name) {
        this.name = name;
        int dot = name.lastIndexOf('.');
        this.component = dot < 0 ? name : name.substring(dot + 1);
    }

    @Override
    public boolean isTraceEnabled() {
        return LogSettings.enabled(LogLevel.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogSettings.enabled(LogLevel.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogSettings.enabled(LogLevel.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogSettings.enabled(LogLevel.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogSettings.enabled(LogLevel.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
        String msg = MessageFormatter.basicArrayFormat(pattern, args);
        StringBuilder sb = new StringBuilder(128);
        String ts = Instant.now().toString();
        String lvl = level.toString().toLowerCase(java.util.Locale.ROOT);
        String err = null;
        if (t != null) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            err = sw.toString().trim();
        }
        if (LogSettings.format() == LogSettings.Format.JSON) {
            sb.append("{\"ts\":");
            json(sb, ts);
            sb.append(",\"level\":");
            json(sb, lvl);
            sb.append(",\"component\":");
            json(sb, component);
            sb.append(",\"msg\":");
            json(sb, msg);
            if (err != null) {
                sb.append(",\"err\":");
                json(sb, err);
            }
            sb.append('}');
        } else {
            sb.append("ts=").append(ts).append(" level=").append(lvl).append(" component=");
            logfmt(sb, component);
            sb.append(" msg=");
            logfmt(sb, msg);
            if (err != null) {
                sb.append(" err=");
                logfmt(sb, err);
            }
        }
        LogSettings.out().println(sb);
    }

    private static void logfmt(StringBuilder sb, String v) {
        boolean quote = v.isEmpty();
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c <= ' ' || c == '=' || c == '"';
        }
        if (!quote) {
            sb.append(v);
            return;
        }
        json(sb, v);
    }

    static void json(StringBuilder sb, String v) {
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
