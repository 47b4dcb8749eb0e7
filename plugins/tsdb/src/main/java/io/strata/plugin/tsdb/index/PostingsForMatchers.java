package io.strata.plugin.tsdb.index;

import io.strata.api.labels.MatchType;
import io.strata.api.labels.Matcher;
import io.strata.plugin.tsdb.internal.Utf8Order;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Resolves label matchers to postings with Prometheus semantics: a matcher that accepts the empty
 * string also selects series without the label ({@code {a=""}} means "a absent",
 * {@code {a=~".*"}} matches everything); negative matchers are subtracted lazily.
 */
public final class PostingsForMatchers {
    private PostingsForMatchers() {
    }

    public static Postings select(IndexLookup index, Matcher... matchers) {
        List<Postings> its = new ArrayList<>();
        List<Postings> notIts = new ArrayList<>();
        boolean anyPositive = false;
        for (Matcher m : matchers) {
            if (!m.matchesEmpty()) {
                anyPositive = true;
                break;
            }
        }
        for (Matcher m : matchers) {
            boolean negative = m.type() == MatchType.NOT_EQUAL || m.type() == MatchType.NOT_REGEX;
            if (m.matchesEmpty()) {
                if (m.type() == MatchType.REGEX && isMatchAll(m)) {
                    continue; // matches every series, with or without the label
                }
                if (negative) {
                    // {a!="x"} or {a!~"x|y"}: drop the series whose value matches the inverse.
                    notIts.add(valuesMatching(index, m.name(), inverse(m)));
                } else {
                    // {a=""} or {a=~"|x"}: drop series that have the label with a value the matcher refuses.
                    notIts.add(valuesMatching(index, m.name(), new Refusing(m)));
                }
            } else if (negative) {
                // {a!=""} or {a!~"x|"}: series with a non-empty value the inverse refuses.
                its.add(valuesMatching(index, m.name(), new Refusing(inverse(m))));
            } else {
                its.add(valuesMatching(index, m.name(), m));
            }
        }
        if (its.isEmpty() && (!notIts.isEmpty() || !anyPositive)) {
            its.add(index.allPostings());
        }
        Postings p = PostingsLists.intersect(its);
        for (Postings n : notIts) {
            p = PostingsLists.without(p, n);
        }
        return p;
    }

    private static boolean isMatchAll(Matcher m) {
        String v = m.value();
        return v.equals(".*") || v.equals("(?s:.*)") || v.equals("(?s).*");
    }

    private static Matcher inverse(Matcher m) {
        MatchType t = switch (m.type()) {
            case EQUAL -> MatchType.NOT_EQUAL;
            case NOT_EQUAL -> MatchType.EQUAL;
            case REGEX -> MatchType.NOT_REGEX;
            case NOT_REGEX -> MatchType.REGEX;
        };
        return Matcher.of(t, m.name(), m.value());
    }

    /** A predicate over values: either a matcher or the refusal of one. */
    private static final class Refusing {
        final Matcher m;

        Refusing(Matcher m) {
            this.m = m;
        }
    }

    private static Postings valuesMatching(IndexLookup index, String name, Object predicate) {
        Matcher m = predicate instanceof Matcher mm ? mm : ((Refusing) predicate).m;
        boolean refuse = predicate instanceof Refusing;
        if (!refuse) {
            if (m.type() == MatchType.EQUAL) {
                return index.postings(name, m.value());
            }
            if (m.type() == MatchType.REGEX && m.literalAlternatives() != null) {
                List<Postings> ps = new ArrayList<>();
                for (String v : m.literalAlternatives()) {
                    if (!v.isEmpty()) {
                        ps.add(index.postings(name, v));
                    }
                }
                return PostingsLists.merge(ps);
            }
        }
        List<String> values = index.labelValues(name);
        List<Postings> ps = new ArrayList<>();
        if (!refuse && m.type() == MatchType.REGEX && m.literalPrefix() != null) {
            String prefix = m.literalPrefix();
            int i = Collections.binarySearch(values, prefix, Utf8Order.STRINGS);
            if (i < 0) {
                i = -i - 1;
            }
            for (; i < values.size() && values.get(i).startsWith(prefix); i++) {
                ps.add(index.postings(name, values.get(i)));
            }
            return PostingsLists.merge(ps);
        }
        for (String v : values) {
            if (m.matches(v) != refuse) {
                ps.add(index.postings(name, v));
            }
        }
        return PostingsLists.merge(ps);
    }
}
