package io.strata.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Finds the real programs interop tests run; under CI=true a missing program fails the test. */
final class ExternalPrograms {
    private ExternalPrograms() {
    }

    static Path require(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = program + " is not installed (Debian package '" + debianPackage + "'; .ci/run installs it)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
        throw new AssertionError("unreachable");
    }
}
