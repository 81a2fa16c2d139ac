package io.duplex.server;

/**
 * Answers plain HTTP requests (not upgrades) on a path: a demo page, a health check. The server sends the
 * response and closes the connection.
 *
 * <p>Threading: runs on the connection's event loop; must not block. An exception answers 500.
 */
@FunctionalInterface
public interface HttpHandler {

    /** The response to {@code request}. */
    HttpResponse handle(HttpRequest request);
}
