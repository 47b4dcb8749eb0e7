package io.strata.api.objstore;

import java.time.Instant;

/** Size and last modification time of an object. */
public record ObjectAttributes(long size, Instant lastModified) {
}
