/**
 * Frames (RFC 6455 5.2): a dumb reader that reports frame parts, a writer that encodes frames, and masking.
 * The strict rules (which opcodes, RSV bits and masks are allowed where) are enforced by
 * {@link io.duplex.core.WebSocketConnection}, not here.
 */
package io.duplex.core.frame;
