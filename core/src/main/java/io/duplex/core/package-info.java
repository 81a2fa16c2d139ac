/**
 * The WebSocket connection state machine ({@link io.duplex.core.WebSocketConnection}), its events, close
 * statuses, limits, UTF-8 validation and the failure funnel ({@link io.duplex.core.ProtocolException}).
 */
package io.duplex.core;
