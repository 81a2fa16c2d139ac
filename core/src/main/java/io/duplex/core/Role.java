package io.duplex.core;

/**
 * Which end of the connection this side is. The protocol is asymmetric: clients mask every frame and
 * servers never do (RFC 6455 5.1), and the server closes the TCP connection first (RFC 6455 7.1.1).
 *
 * <p>Threading: immutable.
 */
public enum Role {
    /** The side that opened the connection and sent the handshake request. */
    CLIENT,
    /** The side that accepted the connection and answered the handshake. */
    SERVER
}
