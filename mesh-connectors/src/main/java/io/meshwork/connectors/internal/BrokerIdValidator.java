package io.meshwork.connectors.internal;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Validates a {@code broker.id} setting: a broker id is a region name and becomes an element of
 * the comma-separated {@code mesh_path}, so it may be neither blank nor contain a comma, and it
 * may not contain whitespace because path elements are compared untrimmed. ConfigDef has already
 * trimmed the value.
 */
public final class BrokerIdValidator implements ConfigDef.Validator {

    private final boolean required;

    private BrokerIdValidator(boolean required) {
        this.required = required;
    }

    /** @return a validator that rejects an explicit null as well as a malformed id */
    public static BrokerIdValidator required() {
        return new BrokerIdValidator(true);
    }

    /** @return a validator that accepts null (setting left out) but rejects a malformed id */
    public static BrokerIdValidator optional() {
        return new BrokerIdValidator(false);
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null) {
            if (required) {
                throw new ConfigException(name, null, "a broker id is required");
            }
            return;
        }
        String id = value.toString();
        if (id.isBlank()) {
            throw new ConfigException(name, value, "must not be blank");
        }
        if (id.contains(",")) {
            throw new ConfigException(name, value, "must not contain ',' (mesh_path is comma-separated)");
        }
        if (id.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException(name, value, "must not contain whitespace");
        }
    }

    @Override
    public String toString() {
        return "a broker id (the region name): not blank, no commas, no whitespace";
    }
}
