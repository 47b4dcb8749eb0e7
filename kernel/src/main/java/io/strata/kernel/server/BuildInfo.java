package io.strata.kernel.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and build date, filtered into the kernel jar at build time. */
public final class BuildInfo {
    private static final Properties PROPS = new Properties();

    static {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/strata/kernel/build.properties")) {
            if (in != null) {
                PROPS.load(in);
            }
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private BuildInfo() {
    }

    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    public static String buildDate() {
        return PROPS.getProperty("buildDate", "");
    }
}
