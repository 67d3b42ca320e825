package io.meshwork.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact forms of {@link TrieNode}: children and values grow and shrink between them. */
class TrieNodeTest {

    private final TrieNode<String> node = new TrieNode<>();
    private final Map<String, TrieNode<String>> added = new HashMap<>();

    private void addChild(String level) {
        assertThat(child(level)).isNull();
        added.put(level, addChild(node, level));
    }

    /** Adds a child as the index does, minus its sharing of keys. */
    static <V> TrieNode<V> addChild(TrieNode<V> parent, String level) {
        long packed = Levels.pack(level, 0, level.length());
        return parent.addLiteralChild(packed, packed == Levels.NOT_PACKED ? Levels.key(level) : null);
    }

    private void removeChild(String level) {
        node.removeLiteralChild(added.remove(level));
    }

    private TrieNode<String> child(String level) {
        // Looked up as a region of a longer text, as matching does.
        String text = "x/" + level + "/y";
        return node.literalChild(text, 2, 2 + level.length());
    }

    private void assertChildrenAreFound() {
        added.forEach((level, child) -> assertThat(child(level)).as(level).isSameAs(child));
        assertThat(node.countNodes()).isEqualTo(1 + added.size());
    }

    @Test
    void childrenGrowFromSingleToArrayToTableAndShrinkBack() {
        assertThat(node.childrenForm()).isEqualTo("none");
        addChild("c0");
        assertThat(node.childrenForm()).isEqualTo("single");
        for (int i = 1; i < TrieNode.MAX_ARRAY_CHILDREN; i++) {
            addChild("c" + i);
            assertThat(node.childrenForm()).isEqualTo("array");
            assertChildrenAreFound();
        }
        addChild("c" + TrieNode.MAX_ARRAY_CHILDREN);
        assertThat(node.childrenForm()).isEqualTo("table");
        assertChildrenAreFound();

        // Back to an array only at MIN_TABLE_CHILDREN, so one add/remove at the edge never converts.
        for (int i = TrieNode.MAX_ARRAY_CHILDREN; i > TrieNode.MIN_TABLE_CHILDREN; i--) {
            removeChild("c" + i);
            assertThat(node.childrenForm()).isEqualTo(added.size() > TrieNode.MIN_TABLE_CHILDREN ? "table" : "array");
            assertChildrenAreFound();
        }
        while (added.size() > 1) {
            removeChild("c" + (added.size() - 1));
            assertThat(node.childrenForm()).isEqualTo(added.size() > 1 ? "array" : "single");
            assertChildrenAreFound();
        }
        removeChild("c0");
        assertThat(node.childrenForm()).isEqualTo("none");
        assertThat(node.isEmpty()).isTrue();
    }

    @Test
    void removingAnyChildOfAnArrayKeepsTheOthers() {
        List.of("a", "b", "c").forEach(this::addChild);
        removeChild("b");
        assertChildrenAreFound();
        assertThat(child("b")).isNull();
        removeChild("a");
        assertThat(node.childrenForm()).isEqualTo("single");
        assertChildrenAreFound();
    }

    @Test
    void randomAddsAndRemovesAcrossEveryFormAgreeWithAMap() {
        Random random = new Random(42);
        for (int op = 0; op < 20_000; op++) {
            // Levels of equal hash ("Aa" and "BB" hash alike) exercise probing in the table.
            String level = random.nextBoolean() ? "l" + random.nextInt(60) : collidingLevel(random.nextInt(64));
            if (added.containsKey(level)) {
                removeChild(level);
            } else {
                addChild(level);
            }
            if (op % 97 == 0) {
                assertChildrenAreFound();
            }
        }
        assertChildrenAreFound();
        new ArrayList<>(added.keySet()).forEach(this::removeChild);
        assertThat(node.childrenForm()).isEqualTo("none");
    }

    /** One of 64 distinct levels that all have the same {@code hashCode()}. */
    static String collidingLevel(int bits) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append((bits >> i & 1) == 0 ? "Aa" : "BB");
        }
        return sb.toString();
    }

    /** Short Latin-1 levels pack, up to 8 chars; longer ones and others are keys. */
    private static final List<String> LEVELS = List.of("", "a", "ü", "c12345", "checkout", "ÿÿÿÿÿÿÿÿ",
            "\u0080\u0081", "notifications", "ÿÿÿÿÿÿÿÿÿ", "日本", "😀", "a日", "Aa", "BB");

    @Test
    void levelsPackWhenShortAndLatin1() {
        assertThat(Levels.pack("a", 0, 1)).isEqualTo('a');
        assertThat(Levels.pack("x/ab/y", 2, 4)).isEqualTo('a' | 'b' << 8);
        assertThat(Levels.pack("", 0, 0)).isZero();
        assertThat(Levels.pack("ÿÿÿÿÿÿÿÿ", 0, 8)).isEqualTo(-1L);
        assertThat(Levels.pack("123456789", 0, 9)).isEqualTo(Levels.NOT_PACKED);
        assertThat(Levels.pack("a日", 0, 2)).isEqualTo(Levels.NOT_PACKED);
        assertThat(Levels.key("notificationsü")).isInstanceOf(byte[].class);
        assertThat(Levels.key("a日")).isEqualTo("a日");
    }

    @Test
    void everyKindOfLevelIsFoundAndNeverConfusedWithAnother() {
        LEVELS.forEach(this::addChild);
        assertChildrenAreFound();
        for (String level : LEVELS) {
            assertThat(added.get(level).levelText()).isEqualTo(level);
        }
        // 'š' is U+0161: its low byte is 'a'; a 9-char level must not find its 8-char prefix.
        for (String other : List.of("š", "本", "ÿÿÿÿÿÿÿ", "notification", "notificationsx", "a日日", "b")) {
            assertThat(child(other)).as(other).isNull();
        }
    }

    @Test
    void levelsHashAlikeWhicheverWayTheyAreGiven() {
        for (String level : LEVELS) {
            TrieNode<String> child = addChild(new TrieNode<>(), level);
            long packed = Levels.pack("x/" + level, 2, 2 + level.length());
            assertThat(Levels.hash(packed, "x/" + level, 2, 2 + level.length())).as(level).isEqualTo(child.levelHash());
        }
    }

    @Test
    void levelsInATableAreFoundWhicheverWayTheyAreHeld() {
        LEVELS.forEach(this::addChild);
        for (int i = 0; i < 20; i++) {
            addChild("n" + i);
        }
        assertThat(node.childrenForm()).isEqualTo("table");
        assertChildrenAreFound();
        assertThat(child("š")).isNull();
        assertThat(child("notification")).isNull();
    }

    @Test
    void valuesGoFromOneToASetAndBack() {
        assertThat(node.hasValues(false)).isFalse();
        assertThat(node.addValue(false, "a")).isTrue();
        assertThat(node.addValue(false, "a")).isFalse();
        assertThat(node.addValue(false, "b")).isTrue();
        assertThat(node.addValue(false, "b")).isFalse();
        assertThat(values(false)).containsExactlyInAnyOrder("a", "b");
        assertThat(node.hasValues(true)).isFalse();

        assertThat(node.removeValue(false, "c")).isFalse();
        assertThat(node.removeValue(false, "a")).isTrue();
        assertThat(values(false)).containsExactly("b");
        assertThat(node.removeValue(false, "a")).isFalse();
        assertThat(node.removeValue(false, "b")).isTrue();
        assertThat(node.hasValues(false)).isFalse();
        assertThat(node.isEmpty()).isTrue();
    }

    @Test
    void anEqualValueAddedAgainLeavesTheFirstInPlace() {
        String first = new String("v");
        node.addValue(true, first);
        assertThat(node.addValue(true, new String("v"))).isFalse();
        assertThat(values(true)).singleElement().isSameAs(first);
    }

    private List<String> values(boolean multiLevel) {
        List<String> values = new ArrayList<>();
        node.forEachValue(multiLevel, values::add);
        return values;
    }
}
