package io.duplex.server;

import io.duplex.core.handshake.HttpHeaders;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 request head as the server received it.
 *
 * <p>Threading: immutable.
 */
public interface HttpRequest {

    /** The method, for example "GET". */
    String method();

    /** The path, without the query, percent-encoding kept as sent. */
    String path();

    /** The query string without the '?', or the empty string. */
    String query();

    /** The first value of query parameter {@code name}, percent-decoded (UTF-8), if present. */
    Optional<String> queryParameter(String name);

    /** The header fields. */
    HttpHeaders headers();

    /** The first value of header {@code name} (case-insensitive), if present. */
    Optional<String> header(String name);

    /** The cookies from every Cookie header, by name (the first wins on duplicates). */
    Map<String, String> cookies();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** Whether the request came over TLS. */
    boolean secure();
}
