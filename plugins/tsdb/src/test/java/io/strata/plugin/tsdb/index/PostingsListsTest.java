package io.strata.plugin.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PostingsListsTest {
    private static long[] random(Random r, int n, int max) {
        TreeSet<Long> s = new TreeSet<>();
        while (s.size() < n) {
            s.add((long) r.nextInt(max));
        }
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void combinatorsMatchSetOperations() {
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            long[] a = random(r, r.nextInt(50), 200);
            long[] b = random(r, r.nextInt(50), 200);
            long[] c = random(r, r.nextInt(50), 200);
            TreeSet<Long> inter = new TreeSet<>();
            TreeSet<Long> union = new TreeSet<>();
            TreeSet<Long> diff = new TreeSet<>();
            for (long x : a) {
                union.add(x);
                diff.add(x);
                if (contains(b, x) && contains(c, x)) {
                    inter.add(x);
                }
            }
            for (long x : b) {
                union.add(x);
                diff.remove(x);
            }
            for (long x : c) {
                union.add(x);
            }
            assertArrayEquals(toArray(inter), PostingsLists.toArray(PostingsLists.intersect(
                    List.of(PostingsLists.of(a), PostingsLists.of(b), PostingsLists.of(c)))));
            assertArrayEquals(toArray(union), PostingsLists.toArray(PostingsLists.merge(
                    new ArrayList<>(List.of(PostingsLists.of(a), PostingsLists.of(b), PostingsLists.of(c))))));
            assertArrayEquals(toArray(diff), PostingsLists.toArray(PostingsLists.without(PostingsLists.of(a), PostingsLists.of(b))));
        }
    }

    @Test
    void seekOnUnionAndIntersection() {
        Postings u = PostingsLists.merge(List.of(PostingsLists.of(1, 5, 9), PostingsLists.of(2, 6, 10)));
        assertTrue(u.seek(6));
        assertEquals(6, u.at());
        assertTrue(u.next());
        assertEquals(9, u.at());
        Postings i = PostingsLists.intersect(List.of(PostingsLists.of(1, 5, 9, 12), PostingsLists.of(5, 9, 12)));
        assertTrue(i.seek(6));
        assertEquals(9, i.at());
        assertTrue(i.next());
        assertEquals(12, i.at());
    }

    private static boolean contains(long[] a, long x) {
        return java.util.Arrays.binarySearch(a, x) >= 0;
    }

    private static long[] toArray(TreeSet<Long> s) {
        return s.stream().mapToLong(Long::longValue).toArray();
    }
}
