package io.strata.api.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatcherTest {
    @Test
    void regexIsFullyAnchored() {
        Matcher m = Matcher.regex("job", "api");
        assertTrue(m.matches("api"));
        assertFalse(m.matches("xapi"));
        assertFalse(m.matches("apix"));
        assertTrue(Matcher.regex("job", "a.*").matches("a\nb"), ". matches newline as in Prometheus");
        assertTrue(Matcher.regex("job", "x|y").matches("y"));
        assertFalse(Matcher.regex("job", "x|y").matches("xy"));
    }

    @Test
    void emptyMatchingMatchesMissingLabels() {
        assertTrue(Matcher.regex("a", ".*").matchesEmpty());
        assertTrue(Matcher.notEqual("a", "x").matchesEmpty());
        assertFalse(Matcher.regex("a", ".+").matchesEmpty());
        assertTrue(Matcher.regex("a", "x|").matchesEmpty());
    }

    @Test
    void fastPaths() {
        assertEquals(List.of("a", "b.c", "d"), Matcher.regex("x", "a|b\\.c|d").literalAlternatives());
        assertNull(Matcher.regex("x", "a|b.c").literalAlternatives());
        assertEquals("foo", Matcher.regex("x", "foo.*").literalPrefix());
        assertNull(Matcher.regex("x", "foo\\.*").literalPrefix());
        assertTrue(Matcher.regex("x", "foo.*").matches("foobar"));
        assertFalse(Matcher.regex("x", "foo\\.*").matches("foobar"));
        assertTrue(Matcher.regex("x", "foo\\.*").matches("foo.."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?=a)", "(?!a)", "(?<=a)b", "a*+", "a**", "(a)\\1", "(?>a)", "a)", "(a", "[a", "\\e", "a{1001}", "\\Z"})
    void rejectsWhatRe2Rejects(String re) {
        assertThrows(IllegalArgumentException.class, () -> Matcher.regex("x", re));
    }

    @Test
    void translatesRe2Spellings() {
        assertTrue(Matcher.regex("x", "a{").matches("a{"), "a brace that is no repetition is literal in RE2");
        assertTrue(Matcher.regex("x", "a{2}").matches("aa"));
        assertTrue(Matcher.regex("x", "[[:digit:]]+").matches("123"));
        assertFalse(Matcher.regex("x", "[[:^digit:]]+").matches("123"));
        assertTrue(Matcher.regex("x", "(?P<n>a)b").matches("ab"));
        assertTrue(Matcher.regex("x", "(?i)ABC").matches("abc"));
        assertTrue(Matcher.regex("x", "[a&&b]+").matches("a&&b"), "&& is literal in an RE2 class");
        assertTrue(Matcher.regex("x", "[]a]+").matches("]a"));
        assertFalse(Matcher.regex("x", "a$").matches("a\n"));
        assertTrue(Matcher.regex("x", "\\101").matches("A"), "octal escape");
        assertTrue(Matcher.regex("x", "a*?b").matches("aab"));
    }
}
