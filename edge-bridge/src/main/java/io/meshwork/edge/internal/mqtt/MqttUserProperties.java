package io.meshwork.edge.internal.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text form of a PUBLISH's user properties in the {@value MqttAttributes#USER_PROPERTIES}
 * attribute: a JSON array of {@code [name, value]} pairs. A list, not a map, because MQTT keeps
 * the order of user properties and allows a name more than once (MQTT 5 section 3.3.2.3.7).
 */
final class MqttUserProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MqttUserProperties() {
    }

    static String encode(List<Map.Entry<String, String>> properties) {
        ArrayNode array = JSON.createArrayNode();
        for (Map.Entry<String, String> property : properties) {
            array.addArray().add(property.getKey()).add(property.getValue());
        }
        return array.toString();
    }

    /**
     * @throws IllegalArgumentException if {@code text} is not an array of two-string arrays (an
     *     attribute some other protocol's publisher set by hand)
     */
    static List<Map.Entry<String, String>> decode(String text) {
        JsonNode array;
        try {
            array = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(MqttAttributes.USER_PROPERTIES + " is not JSON: " + e.getOriginalMessage());
        }
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(MqttAttributes.USER_PROPERTIES + " must be a JSON array of [name, value] pairs");
        }
        List<Map.Entry<String, String>> properties = new ArrayList<>(array.size());
        for (JsonNode pair : array) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                throw new IllegalArgumentException(MqttAttributes.USER_PROPERTIES + " must be a JSON array of [name, value] pairs, found "
                        + pair);
            }
            properties.add(Map.entry(pair.get(0).asText(), pair.get(1).asText()));
        }
        return properties;
    }
}
