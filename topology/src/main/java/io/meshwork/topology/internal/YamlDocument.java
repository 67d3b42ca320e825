package io.meshwork.topology.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshwork.topology.TopologyException;
import java.util.stream.Collectors;

/** Parses YAML text into a tree, turning parser failures into document-level problems. */
final class YamlDocument {

    // A repeated key is almost always a copy-paste slip; by default the last one would win silently.
    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private YamlDocument() {
    }

    static YamlNode parse(String source, String yamlText) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(yamlText);
        } catch (JsonProcessingException e) {
            throw new TopologyException(source, TopologyException.DOCUMENT_KEY,
                    "malformed YAML: " + describe(e), null, e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new TopologyException(source, TopologyException.DOCUMENT_KEY, "the document is empty", null);
        }
        return YamlNode.root(source, tree);
    }

    private static String describe(JsonProcessingException e) {
        // SnakeYAML's message spans lines: context and problem flush left, each followed by an
        // indented position and source excerpt. Keep the flush-left lines; the position follows.
        String problem = e.getOriginalMessage().lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .map(String::strip)
                .collect(Collectors.joining("; "));
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return problem;
        }
        return problem + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
