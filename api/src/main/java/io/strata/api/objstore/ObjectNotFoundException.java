package io.strata.api.objstore;

import java.io.IOException;

/** The object does not exist. */
public final class ObjectNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(String name) {
        super("object not found: " + name);
    }
}
