package io.strata.kernel.plugin.osgi;

import io.strata.kernel.plugin.ExportedPackages;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Lists the packages the kernel exports to bundles ({@code org.osgi.framework.system.packages.extra}):
 * every package on the kernel's class path under an exported prefix, versioned from its jar's
 * manifest (Bundle-Version, else Implementation-Version).
 */
final class SystemPackages {
    private SystemPackages() {
    }

    static String exportClause(ExportedPackages exported, String fallbackVersion) throws IOException {
        Map<String, String> packages = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                scanDirectory(p, exported, osgiVersion(fallbackVersion), packages);
            } else if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                scanJar(p, exported, fallbackVersion, packages);
            }
        }
        StringBuilder sb = new StringBuilder();
        packages.forEach((pkg, version) -> {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(pkg).append(";version=\"").append(version).append('"');
        });
        return sb.toString();
    }

    private static void scanJar(Path jar, ExportedPackages exported, String fallbackVersion, Map<String, String> out)
            throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest mf = jf.getManifest();
            String version = null;
            if (mf != null) {
                Attributes a = mf.getMainAttributes();
                version = a.getValue("Bundle-Version");
                if (version == null) {
                    version = a.getValue("Implementation-Version");
                }
            }
            String v = osgiVersion(version == null ? fallbackVersion : version);
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                    int slash = name.lastIndexOf('/');
                    if (slash > 0) {
                        String pkg = name.substring(0, slash).replace('/', '.');
                        if (exported.exports(pkg + ".") || exported.exports(pkg)) {
                            out.putIfAbsent(pkg, v);
                        }
                    }
                }
            }
        }
    }

    private static void scanDirectory(Path root, ExportedPackages exported, String version, Map<String, String> out)
            throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                Path rel = root.relativize(f.getParent());
                String pkg = rel.toString().replace(File.separatorChar, '.');
                if (!pkg.isEmpty() && (exported.exports(pkg + ".") || exported.exports(pkg))) {
                    out.putIfAbsent(pkg, version);
                }
            });
        }
    }

    /** "1.2.3-SNAPSHOT" to "1.2.3.SNAPSHOT", "2.0" to "2.0.0": what OSGi accepts. */
    static String osgiVersion(String v) {
        if (v == null || v.isBlank()) {
            return "0.0.0";
        }
        String[] parts = v.trim().split("[.-]", 4);
        int[] nums = new int[3];
        int i = 0;
        StringBuilder qualifier = new StringBuilder();
        for (String part : parts) {
            if (i < 3 && part.matches("\\d+")) {
                nums[i++] = Integer.parseInt(part);
            } else {
                if (qualifier.length() > 0) {
                    qualifier.append('_');
                }
                qualifier.append(part.replaceAll("[^A-Za-z0-9_-]", "_"));
                i = 3;
            }
        }
        String base = nums[0] + "." + nums[1] + "." + nums[2];
        return qualifier.length() == 0 ? base : base + "." + qualifier;
    }
}
