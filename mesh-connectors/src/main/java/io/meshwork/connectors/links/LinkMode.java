package io.meshwork.connectors.links;

import java.util.Arrays;
import java.util.Locale;

/** Which runtime carries the data events between neighbouring regions. */
public enum LinkMode {

    /**
     * The default: each region pushes its own spools to its neighbours ({@link RegionPushLinks}),
     * so an event pays about the WAN's one-way delay.
     */
    PUSH,

    /**
     * MirrorMaker 2 in each region pulls the spools of its neighbours ({@link RegionMirror}); an
     * event waits for the next fetch, up to a round trip. For operators who run Connect/MirrorMaker
     * already ({@code mesh links --render}).
     */
    MIRRORMAKER;

    /**
     * @param text {@code push} or {@code mirrormaker}, any case
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LinkMode parse(String text) {
        for (LinkMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("link mode must be one of " + Arrays.stream(values()).map(LinkMode::toString).toList()
                + ", was '" + text + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
