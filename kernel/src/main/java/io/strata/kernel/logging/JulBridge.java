package io.strata.kernel.logging;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends java.util.logging (used by grpc-java) through slf4j, so every line has one format. */
public final class JulBridge extends Handler {
    private JulBridge() {
    }

    public static synchronized void install() {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof JulBridge) {
                return;
            }
            root.removeHandler(h);
        }
        root.addHandler(new JulBridge());
        root.setLevel(Level.INFO);
    }

    @Override
    public void publish(LogRecord r) {
        Logger log = LoggerFactory.getLogger(r.getLoggerName() == null ? "jul" : r.getLoggerName());
        String msg = r.getMessage();
        if (r.getParameters() != null && msg != null) {
            try {
                msg = java.text.MessageFormat.format(msg, r.getParameters());
            } catch (IllegalArgumentException ignored) {
                // keep the raw message
            }
        }
        int level = r.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            log.error(msg, r.getThrown());
        } else if (level >= Level.WARNING.intValue()) {
            log.warn(msg, r.getThrown());
        } else if (level >= Level.INFO.intValue()) {
            log.info(msg, r.getThrown());
        } else {
            log.debug(msg, r.getThrown());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
