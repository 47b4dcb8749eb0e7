package io.strata.plugin.tsdb.block;

import java.security.SecureRandom;
import java.util.Random;

/** ULIDs (48-bit millisecond time + 80 random bits, Crockford base32), as block directory names. */
public final class Ulid {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Random RANDOM = new SecureRandom();

    private Ulid() {
    }

    /** A new ULID for the current time. */
    public static String generate() {
        return generate(System.currentTimeMillis(), RANDOM);
    }

    public static String generate(long timeMillis, Random random) {
        if (timeMillis < 0 || timeMillis >= (1L << 48)) {
            throw new IllegalArgumentException("ULID time out of range: " + timeMillis);
        }
        char[] out = new char[26];
        long t = timeMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (t & 31)];
            t >>>= 5;
        }
        long hi = random.nextLong() & ((1L << 40) - 1);
        long lo = random.nextLong() & ((1L << 40) - 1);
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        return new String(out);
    }

    /** True for a syntactically valid ULID (26 Crockford base32 characters, first one 0-7). */
    public static boolean isValid(String s) {
        if (s == null || s.length() != 26 || s.charAt(0) > '7') {
            return false;
        }
        for (int i = 0; i < 26; i++) {
            if (new String(ALPHABET).indexOf(Character.toUpperCase(s.charAt(i))) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The millisecond timestamp encoded in a ULID. */
    public static long time(String ulid) {
        if (!isValid(ulid)) {
            throw new IllegalArgumentException("not a ULID: " + ulid);
        }
        long t = 0;
        for (int i = 0; i < 10; i++) {
            t = (t << 5) | new String(ALPHABET).indexOf(Character.toUpperCase(ulid.charAt(i)));
        }
        return t;
    }
}
