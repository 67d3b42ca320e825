package io.meshwork.core.selector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderValuesTest {

    @Test
    void typesIntegralNumbersAsLong() {
        assertThat(HeaderValues.typed("14900")).isEqualTo(14900L);
        assertThat(HeaderValues.typed("-7")).isEqualTo(-7L);
        assertThat(HeaderValues.typed("0")).isEqualTo(0L);
        assertThat(HeaderValues.typed("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void typesOtherNumbersAsDouble() {
        assertThat(HeaderValues.typed("2.50")).isEqualTo(2.5d);
        assertThat(HeaderValues.typed("-0.5")).isEqualTo(-0.5d);
        assertThat(HeaderValues.typed("1e3")).isEqualTo(1000d);
        assertThat(HeaderValues.typed("1.5E-2")).isEqualTo(0.015d);
        assertThat(HeaderValues.typed("9223372036854775808")).isEqualTo(9.223372036854775808e18d);
    }

    @Test
    void typesExactlyTrueAndFalseAsBoolean() {
        assertThat(HeaderValues.typed("true")).isEqualTo(Boolean.TRUE);
        assertThat(HeaderValues.typed("false")).isEqualTo(Boolean.FALSE);
        assertThat(HeaderValues.typed("TRUE")).isEqualTo("TRUE");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
        "", "ap", "007", "+5", "-", "1.", ".5", "1e", "1e+", "0x1F", "NaN", "Infinity", "1_000", " 1", "1 ",
        "\u0661", "12ab", "--1"
    })
    void keepsEverythingElseAsAString(String value) {
        assertThat(HeaderValues.typed(value)).isEqualTo(value);
    }

    @Test
    void keepsAbsentHeadersAbsent() {
        assertThat(HeaderValues.typed(null)).isNull();
    }
}
