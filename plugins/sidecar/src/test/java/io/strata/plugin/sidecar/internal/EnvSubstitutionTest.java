package io.strata.plugin.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {
    @Test
    void replacesReferencesAndLeavesOtherDollarsAlone() {
        assertEquals("replica: pod-1 cost $5 ${HOME} $HOME",
                EnvSubstitution.apply("replica: $(POD_NAME) cost $5 ${HOME} $HOME", Map.of("POD_NAME", "pod-1", "HOME", "/h")));
        assertEquals("a$b\\c", EnvSubstitution.apply("$(X)", Map.of("X", "a$b\\c")));
    }

    @Test
    void anUnsetVariableIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvSubstitution.apply("x: $(MISSING)", Map.of()));
        assertEquals("the configuration refers to $(MISSING), an unset environment variable", e.getMessage());
    }
}
