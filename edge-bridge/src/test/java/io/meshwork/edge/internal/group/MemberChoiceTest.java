package io.meshwork.edge.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MemberChoiceTest {

    private static final int LAG = 10;

    /** A member with a settable backlog. */
    private static final class Fake implements MemberChoice.Candidate {
        private final String id;
        int pending;

        Fake(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public int pending() {
            return pending;
        }
    }

    private static List<Fake> members(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Fake("conn-" + i)).toList();
    }

    @Test
    void keepsEveryKeyWithOneMemberWhileTheMembersKeepUp() {
        List<Fake> members = members(3);
        for (int key = 0; key < 200; key++) {
            Fake first = MemberChoice.choose(members, "key-" + key, LAG).member();
            for (int again = 0; again < 5; again++) {
                assertThat(MemberChoice.choose(members, "key-" + key, LAG).member()).isSameAs(first);
            }
        }
    }

    @Test
    void spreadsKeysOverEveryMember() {
        List<Fake> members = members(3);
        Map<Fake, Integer> counts = new HashMap<>();
        for (int key = 0; key < 3000; key++) {
            counts.merge(MemberChoice.choose(members, "event-" + key, LAG).member(), 1, Integer::sum);
        }
        assertThat(counts).hasSize(3);
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(800, 1200));
    }

    @Test
    void givesNothingToALaggingMemberWhileAnotherKeepsUp() {
        List<Fake> members = members(3);
        Fake lagging = members.get(1);
        lagging.pending = LAG;
        int rerouted = 0;
        for (int key = 0; key < 500; key++) {
            MemberChoice.Choice<Fake> choice = MemberChoice.choose(members, "key-" + key, LAG);
            assertThat(choice.member()).isNotSameAs(lagging);
            rerouted += choice.rerouted() ? 1 : 0;
        }
        assertThat(rerouted).as("keys whose first choice was the lagging member").isBetween(100, 250);
    }

    @Test
    void movesOnlyTheKeysOfAMemberThatLeaves() {
        List<Fake> members = members(4);
        Map<String, Fake> before = new HashMap<>();
        for (int key = 0; key < 400; key++) {
            before.put("key-" + key, MemberChoice.choose(members, "key-" + key, LAG).member());
        }
        Fake leaving = members.get(2);
        List<Fake> remaining = new ArrayList<>(members);
        remaining.remove(leaving);
        before.forEach((key, member) -> {
            Fake after = MemberChoice.choose(remaining, key, LAG).member();
            if (member != leaving) {
                assertThat(after).as(key).isSameAs(member);
            }
        });
    }

    @Test
    void givesTheLeastLoadedMemberTheEventWhenEveryMemberLags() {
        List<Fake> members = members(3);
        members.get(0).pending = 50;
        members.get(1).pending = 12;
        members.get(2).pending = 30;
        Set<Fake> chosen = new HashSet<>();
        for (int key = 0; key < 100; key++) {
            chosen.add(MemberChoice.choose(members, "key-" + key, LAG).member());
        }
        assertThat(chosen).containsExactly(members.get(1));
    }
}
