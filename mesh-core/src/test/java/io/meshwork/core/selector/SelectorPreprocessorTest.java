package io.meshwork.core.selector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorPreprocessorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            headers.region = 'ap'                      | "headers.region" = 'ap'
            a.b.c_d$1 = 1 AND x = 2                    | "a.b.c_d$1" = 1 AND x = 2
            (headers.region='ap')                      | ("headers.region"='ap')
            x = 'headers.region'                       | x = 'headers.region'
            "already.quoted" = 1                       | "already.quoted" = 1
            "a""b.c" = 1                               | "a""b.c" = 1
            x = 'it''s a.b'                            | x = 'it''s a.b'
            x = 1.5 AND y = .5e3 AND z = 5E+10         | x = 1.5 AND y = .5e3 AND z = 5E+10
            x = 0x1F                                   | x = 0x1F
            a.5 = 1                                    | a.5 = 1
            x = 1 /* headers.region */                 | x = 1 /* headers.region */
            x = 1 /* not closed a.b                    | x = 1 /* not closed "a.b"
            x = 1 -- a.b without line break            | x = 1 -- "a.b" without line break
            """)
    void quotesDottedIdentifiersOnlyOutsideLiteralsAndComments(String expression, String prepared) {
        assertThat(SelectorPreprocessor.prepare(expression).text()).isEqualTo(prepared);
    }

    @Test
    void leavesLineCommentsAloneWhenALineBreakEndsThem() {
        String expression = "x = 1 -- a.b isn't rewritten\r\nAND headers.y = 2";
        assertThat(SelectorPreprocessor.prepare(expression).text())
                .isEqualTo("x = 1 -- a.b isn't rewritten\r\nAND \"headers.y\" = 2");
    }

    @Test
    void mapsEveryPreparedCharBackToTheCallersText() {
        PreparedSelector prepared = SelectorPreprocessor.prepare("h.r = 1 AND p.q.s");
        // "h.r" = 1 AND "p.q.s"
        assertThat(prepared.originalPosition(0)).isZero();      // opening quote → identifier start
        assertThat(prepared.originalPosition(1)).isZero();      // h
        assertThat(prepared.originalPosition(4)).isEqualTo(3);  // closing quote → after identifier
        assertThat(prepared.originalPosition(6)).isEqualTo(4);  // =
        assertThat(prepared.originalPosition(15)).isEqualTo(12); // p
        assertThat(prepared.originalLength()).isEqualTo(17);
        assertThat(prepared.originalPosition(prepared.text().length())).isEqualTo(17);
    }

    @Test
    void leavesSelectorsWithoutDottedIdentifiersUnchanged() {
        String expression = "amountCents > 10000 AND currency = 'USD'";
        PreparedSelector prepared = SelectorPreprocessor.prepare(expression);
        assertThat(prepared.text()).isEqualTo(expression);
        for (int i = 0; i <= expression.length(); i++) {
            assertThat(prepared.originalPosition(i)).isEqualTo(i);
        }
    }

    @Test
    void growsItsIndexMapForSelectorsFullOfDottedIdentifiers() {
        String expression = "a.b = 1" + " OR a.b = 1".repeat(300);
        PreparedSelector prepared = SelectorPreprocessor.prepare(expression);
        assertThat(prepared.text()).hasSize(expression.length() + 2 * 301);
        assertThat(prepared.originalLength()).isEqualTo(expression.length());
    }
}
