package io.meshwork.core.selector;

/**
 * A selector as the parser gets it: dotted identifiers quoted, everything else unchanged.
 *
 * @param text the text handed to the parser
 * @param originalIndex for each char of {@code text} (and one past its end) the index in the
 *     caller's expression it came from, so parser positions can be reported in the caller's terms
 */
record PreparedSelector(String text, int[] originalIndex) {

    PreparedSelector {
        if (originalIndex.length != text.length() + 1) {
            throw new IllegalArgumentException("index map must cover the text and its end");
        }
    }

    /** The index in the caller's expression of char {@code index} of {@link #text()}. */
    int originalPosition(int index) {
        return originalIndex[Math.max(0, Math.min(index, text.length()))];
    }

    /** The length of the caller's expression. */
    int originalLength() {
        return originalIndex[text.length()];
    }
}
