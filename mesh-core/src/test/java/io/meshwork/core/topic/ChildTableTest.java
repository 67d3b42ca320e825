package io.meshwork.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChildTableTest {

    private static TrieNode<String> node(String level) {
        return TrieNodeTest.addChild(new TrieNode<>(), level);
    }

    private static TrieNode<?> find(ChildTable table, String level) {
        String text = level + "/rest";
        return table.find(text, 0, level.length(), Levels.pack(text, 0, level.length()));
    }

    @Test
    void staysAtMostHalfFullAndShrinksAfterRemovals() {
        List<TrieNode<String>> children = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            children.add(node("c" + i));
        }
        ChildTable table = new ChildTable(children.subList(0, 9).toArray(new TrieNode<?>[0]));
        children.subList(9, 1000).forEach(table::add);
        assertThat(table.size()).isEqualTo(1000);
        assertThat(table.capacity()).isEqualTo(2048);

        Collections.shuffle(children, new Random(1));
        for (TrieNode<String> child : children.subList(0, 995)) {
            table.remove(child);
            assertThat(find(table, child.levelText())).isNull();
        }
        assertThat(table.size()).isEqualTo(5);
        assertThat(table.capacity()).isLessThanOrEqualTo(64);
        for (TrieNode<String> child : children.subList(995, 1000)) {
            assertThat(find(table, child.levelText())).isSameAs(child);
        }
        assertThat(table.toArray()).containsExactlyInAnyOrderElementsOf(children.subList(995, 1000));
    }

    @Test
    void removalInsideARunOfCollidingLevelsKeepsTheRestReachable() {
        // 64 levels with one hash: a single probe run, wrapping around the end of the table.
        List<TrieNode<String>> children = new ArrayList<>();
        for (int bits = 0; bits < 64; bits++) {
            children.add(node(TrieNodeTest.collidingLevel(bits)));
        }
        ChildTable table = new ChildTable(children.subList(0, 9).toArray(new TrieNode<?>[0]));
        children.subList(9, 64).forEach(table::add);
        Random random = new Random(7);
        List<TrieNode<String>> held = new ArrayList<>(children);
        while (held.size() > 1) {
            table.remove(held.remove(random.nextInt(held.size())));
            for (TrieNode<String> child : held) {
                assertThat(find(table, child.levelText())).isSameAs(child);
            }
        }
        assertThat(find(table, "Aa")).isNull();
        assertThat(find(table, "AaAaAaAaAaAaAa")).isNull();
    }
}
