package io.duplex.core.extension;

import java.util.Optional;

/**
 * One parameter of an extension in a {@code Sec-WebSocket-Extensions} header: {@code name} or
 * {@code name=value} (RFC 6455 9.1). The value is unquoted: {@code x="10"} and {@code x=10} are equal.
 *
 * <p>Threading: immutable.
 *
 * @param name the parameter name, a token
 * @param value the parameter value, or null when the parameter has none
 */
public record ExtensionParameter(String name, String value) {
    /** @throws IllegalArgumentException if the name is null or empty */
    public ExtensionParameter {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("extension parameter name is empty");
        }
    }

    /**
     * @param name the name
     * @return a parameter without a value
     */
    public static ExtensionParameter of(String name) {
        return new ExtensionParameter(name, null);
    }

    /** @return the value, if any */
    public Optional<String> optionalValue() {
        return Optional.ofNullable(value);
    }
}
