package io.duplex.core.extension;

import java.util.List;
import java.util.Optional;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header: an extension name and its parameters, as a
 * client offers it or a server accepts it (RFC 6455 9.1).
 *
 * <p>Threading: immutable.
 *
 * @param name the extension token, e.g. {@code permessage-deflate}
 * @param parameters the parameters in header order
 */
public record ExtensionOffer(String name, List<ExtensionParameter> parameters) {
    /** @throws IllegalArgumentException if the name is null or empty */
    public ExtensionOffer {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("extension name is empty");
        }
        parameters = List.copyOf(parameters);
    }

    /**
     * @param name the name
     * @param parameters the parameters
     * @return the offer
     */
    public static ExtensionOffer of(String name, ExtensionParameter... parameters) {
        return new ExtensionOffer(name, List.of(parameters));
    }

    /**
     * The first parameter with a name, compared case-insensitively.
     *
     * @param parameterName the name
     * @return the parameter, if present
     */
    public Optional<ExtensionParameter> parameter(String parameterName) {
        for (ExtensionParameter p : parameters) {
            if (p.name().equalsIgnoreCase(parameterName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
