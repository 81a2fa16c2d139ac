package io.duplex.server.internal;

import io.duplex.server.HttpHandler;
import java.util.Objects;

/**
 * A plain HTTP handler and the path pattern it serves.
 *
 * @param path exact, or a prefix ending in "/*"
 * @param handler the handler
 *
 * Threading: immutable.
 */
public record HttpRoute(String path, HttpHandler handler) {

    /** Checks the values. */
    public HttpRoute {
        PathPattern.check(path);
        Objects.requireNonNull(handler, "handler");
    }
}
