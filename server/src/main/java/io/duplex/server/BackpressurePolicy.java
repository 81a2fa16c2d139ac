package io.duplex.server;

/**
 * What a send does when the socket's buffered amount is already over its backpressure limit.
 *
 * <p>Threading: an enum; immutable.
 */
public enum BackpressurePolicy {
    /** Queue anyway and answer {@link SendStatus#BACKPRESSURE}, up to a hard cap of twice the limit, then drop. */
    BUFFER,
    /** Do not queue; answer {@link SendStatus#DROPPED}. Suits feeds where only the latest state matters. */
    DROP,
    /** Close the socket with 1008 (policy violation) and answer {@link SendStatus#DROPPED}. */
    CLOSE_POLICY_VIOLATION,
    /** Close the socket with 1013 (try again later) and answer {@link SendStatus#DROPPED}. */
    CLOSE_TRY_AGAIN_LATER
}
