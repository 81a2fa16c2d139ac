package io.duplex.server;

import java.util.List;
import java.util.Optional;

/**
 * A valid WebSocket upgrade request (RFC 6455 4.2.1 already checked), shown to a route's
 * {@link UpgradeHook}.
 *
 * <p>Threading: immutable.
 */
public interface UpgradeRequest extends HttpRequest {

    /** The subprotocols the client offered (Sec-WebSocket-Protocol), in its order of preference. */
    List<String> subprotocols();

    /** The Origin header, which browsers always send; absent for most non-browser clients. */
    Optional<String> origin();
}
