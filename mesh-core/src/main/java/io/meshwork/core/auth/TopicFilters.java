package io.meshwork.core.auth;

import io.meshwork.core.topic.TopicPattern;
import java.util.List;

/**
 * Set relations between MQTT topic filters, seen as the sets of topics they match: whether one
 * filter matches every topic another one does ({@link #covers}), and whether two filters match at
 * least one topic in common ({@link #mayOverlap}). Both decide exactly, with the matching rules of
 * {@link TopicPattern#matches}: {@code #} also matches its parent level, {@code +} matches an
 * empty level, and a wildcard first level never matches a system topic ({@code $...}).
 *
 * <p>This is what lets a subscription pattern be authorised on its own, before any event
 * exists: it is allowed only if every topic it can match is allowed.
 */
public final class TopicFilters {

    private static final String ONE = "+";
    private static final String REST = "#";

    private TopicFilters() {
    }

    /** Whether every topic {@code inner} matches is also matched by {@code outer}. */
    public static boolean covers(TopicPattern outer, TopicPattern inner) {
        List<String> a = outer.levels();
        List<String> b = inner.levels();
        if (isWildcard(a.get(0)) && isSystem(b.get(0))) {
            return false; // outer never matches the system topics inner names
        }
        for (int i = 0; i < b.size(); i++) {
            if (i == a.size()) {
                return false; // inner goes deeper than outer reaches
            }
            String x = a.get(i);
            String y = b.get(i);
            if (x.equals(REST)) {
                return true;
            }
            if (y.equals(REST)) {
                return false; // inner matches any depth here, outer a fixed one
            }
            if (y.equals(ONE) ? !x.equals(ONE) : !x.equals(ONE) && !x.equals(y)) {
                return false;
            }
        }
        // inner ends here: outer must end too, or go on with only '#', which matches its parent level.
        return a.size() == b.size() || a.size() == b.size() + 1 && a.get(b.size()).equals(REST);
    }

    /** Whether some topic is matched by both {@code first} and {@code second}. */
    public static boolean mayOverlap(TopicPattern first, TopicPattern second) {
        List<String> a = first.levels();
        List<String> b = second.levels();
        if (isWildcard(a.get(0)) && isSystem(b.get(0)) || isWildcard(b.get(0)) && isSystem(a.get(0))) {
            return false;
        }
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            String x = a.get(i);
            String y = b.get(i);
            if (x.equals(REST) || y.equals(REST)) {
                return true; // the other filter matches some topic below this prefix, which '#' takes
            }
            if (!x.equals(ONE) && !y.equals(ONE) && !x.equals(y)) {
                return false;
            }
        }
        List<String> longer = a.size() > b.size() ? a : b;
        // Equal lengths share a topic; else the longer one must match the shorter one's depth through a final '#'.
        return a.size() == b.size() || longer.size() == common + 1 && longer.get(common).equals(REST);
    }

    private static boolean isWildcard(String level) {
        return level.equals(ONE) || level.equals(REST);
    }

    private static boolean isSystem(String level) {
        return level.startsWith("$");
    }
}
