/**
 * Extensions (RFC 6455 9): the {@code Sec-WebSocket-Extensions} grammar, the {@link
 * io.duplex.core.extension.Extension} interface that owns RSV bits and transforms messages, and the
 * negotiation hooks that client and server handshakes call.
 */
package io.duplex.core.extension;
