package io.meshwork.connectors.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The .properties text handed to connect-mirror-maker.sh. */
class LinkConfigsRenderTest {

    private static final Map<String, String> PROPS = LinkConfigs.mirrorMakerFor("us-east-1", "127.0.0.1:19092",
            Map.of("eu-west-1", "127.0.0.1:41001", "ap-southeast-1", "127.0.0.1:41002"), LinkSettings.embedded());

    @Test
    void renderedTextLoadsBackToTheSameProperties() throws IOException {
        Properties loaded = new Properties();
        loaded.load(new StringReader(LinkConfigs.render(PROPS)));

        assertThat(loaded.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, loaded::getProperty)))
                .isEqualTo(PROPS);
        assertThat(loaded.getProperty("eu-west-1->us-east-1.topics")).isEqualTo("mesh\\.link\\.us-east-1");
    }

    @Test
    void renderedTextNamesTheRegionAndIsSortedByKey() {
        List<String> lines = LinkConfigs.render(PROPS).lines().toList();
        List<String> keys = lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.substring(0, l.indexOf('='))).toList();

        assertThat(lines.get(0)).startsWith("#").contains("us-east-1");
        assertThat(lines).anyMatch(l -> l.startsWith("#") && l.contains("--clusters us-east-1"));
        assertThat(keys).isSorted().hasSize(PROPS.size());
    }

    @Test
    void renderEscapesWhatPropertiesWouldOtherwiseMangle() throws IOException {
        Map<String, String> awkward = new LinkedHashMap<>();
        awkward.put("key with spaces=and:colons", "  leading spaces, back\\slash, #hash, é, tab\t");
        awkward.put("#comment-like!key", "=:starts with separators");
        Properties loaded = new Properties();
        loaded.load(new StringReader(LinkConfigs.render(awkward)));

        assertThat(loaded.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, loaded::getProperty)))
                .isEqualTo(awkward);
        assertThat(LinkConfigs.render(awkward).chars()).allMatch(c -> c < 0x80);
    }

    @Test
    void valuesKeepTheirSeparatorsReadable() {
        assertThat(LinkConfigs.render(PROPS).lines()).contains("us-east-1.bootstrap.servers=127.0.0.1:19092");
    }
}
