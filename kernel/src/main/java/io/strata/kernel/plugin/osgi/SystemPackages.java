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
        java.util.Set<Path> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Path> queue = new java.util.ArrayDeque<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                queue.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        while (!queue.isEmpty()) {
            Path p = queue.poll();
            if (!seen.add(p)) {
                continue;
            }
            if (Files.isDirectory(p)) {
                scanDirectory(p, exported, osgiVersion(fallbackVersion), packages);
            } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                queue.addAll(scanJar(p, exported, fallbackVersion, packages));
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

    /** Scans one jar; returns the entries of its manifest Class-Path (as launchers such as surefire use). */
    private static java.util.List<Path> scanJar(Path jar, ExportedPackages exported, String fallbackVersion,
                                               Map<String, String> out) throws IOException {
        java.util.List<Path> classPath = new java.util.ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest mf = jf.getManifest();
            String version = null;
            if (mf != null) {
                Attributes a = mf.getMainAttributes();
                String cp = a.getValue("Class-Path");
                if (cp != null) {
                    for (String ref : cp.trim().split("\\s+")) {
                        try {
                            java.net.URI uri = jar.toUri().resolve(ref);
                            classPath.add(Path.of(uri).toAbsolutePath().normalize());
                        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException ignored) {
                            // not a local file: nothing to export from it
                        }
                    }
                }
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
        return classPath;
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
