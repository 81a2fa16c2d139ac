package io.duplex.server;

import io.duplex.core.handshake.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an {@link UpgradeHook} decided.
 *
 * <p>Threading: immutable.
 */
public sealed interface UpgradeDecision {

    /** Accept with no subprotocol, no extra headers and no user data. */
    static Accept accept() {
        return new Accept("", HttpHeaders.empty(), null);
    }

    /** Reject with {@code status} and a plain-text body. */
    static Reject reject(int status, String body) {
        return new Reject(status, HttpHeaders.empty(), body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Accept the upgrade.
     *
     * @param subprotocol one of {@link UpgradeRequest#subprotocols()}, or "" for none (RFC 6455 4.2.2)
     * @param headers extra response headers (Set-Cookie, for example); handshake headers are not allowed
     * @param userData what {@link ServerWebSocket#userData()} returns; may be null
     */
    record Accept(String subprotocol, HttpHeaders headers, Object userData) implements UpgradeDecision {
        /** Checks the values. */
        public Accept {
            Objects.requireNonNull(subprotocol, "subprotocol");
            Objects.requireNonNull(headers, "headers");
        }

        /** A copy choosing {@code subprotocol}. */
        public Accept subprotocol(String subprotocol) {
            return new Accept(subprotocol, headers, userData);
        }

        /** A copy with one more response header. */
        public Accept header(String name, String value) {
            return new Accept(subprotocol, HttpHeaders.builder().addAll(headers).add(name, value).build(), userData);
        }

        /** A copy attaching {@code userData} to the socket. */
        public Accept userData(Object userData) {
            return new Accept(subprotocol, headers, userData);
        }
    }

    /**
     * Reject the upgrade with an HTTP response.
     *
     * @param status a 4xx or 5xx status
     * @param headers extra response headers
     * @param body the response body (sent as text/plain unless headers say otherwise)
     */
    record Reject(int status, HttpHeaders headers, byte[] body) implements UpgradeDecision {
        /** Checks the values. */
        public Reject {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a rejection needs a 4xx or 5xx status, was " + status);
            }
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
        }
    }
}
