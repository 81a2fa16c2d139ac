/**
 * The opening handshake (RFC 6455 4): a bounded HTTP/1.1 head parser, client request generation and
 * response validation, server request validation and response generation.
 */
package io.duplex.core.handshake;
