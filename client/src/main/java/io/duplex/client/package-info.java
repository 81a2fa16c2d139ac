/**
 * The web platform's {@code WebSocket} for Java: {@link io.duplex.client.WebSocket} and what it uses from the
 * DOM and HTML standards ({@link io.duplex.client.EventTarget}, {@link io.duplex.client.Event}, {@link
 * io.duplex.client.MessageEvent}, {@link io.duplex.client.CloseEvent}, {@link io.duplex.client.Blob}, {@link
 * io.duplex.client.DOMException}), plus {@link io.duplex.client.ProxyConfig} for proxies.
 */
package io.duplex.client;
