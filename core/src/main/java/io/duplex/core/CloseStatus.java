package io.duplex.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A close status: a code and a reason (RFC 6455 5.5.1, 7.4), and the one place that knows which codes may
 * travel in which direction.
 *
 * <p>Codes are open-ended (3000-4999 belong to libraries and applications), so a code is an {@code int}
 * with checks rather than an enum. The rules, RFC 6455 7.4.1 and 7.4.2 with the IANA registry:
 * <ul>
 *   <li>on the wire, either direction: 1000-1003, 1007-1014 and 3000-4999;</li>
 *   <li>never on the wire, only reported locally: 1005 (no status received), 1006 (abnormal closure) and
 *       1015 (TLS handshake failure);</li>
 *   <li>reserved, rejected when received and refused when sent: 0-999, 1004, 1016-2999, 5000 and up.</li>
 * </ul>
 * A reason is at most 123 bytes of UTF-8 (125 bytes of control payload minus the 2-byte code).
 *
 * <p>Threading: immutable.
 *
 * @param code the close code
 * @param reason the reason, possibly empty, never null
 */
public record CloseStatus(int code, String reason) {
    /** 1000: the purpose of the connection is fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: the endpoint is going away (server shutdown, page navigation). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the endpoint cannot accept this type of data. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: reported locally when a close frame carried no code; never sent. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** 1006: reported locally when the connection ended without a close frame; never sent. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: message data was inconsistent with its type (invalid UTF-8 in text). */
    public static final int INVALID_FRAME_PAYLOAD_DATA = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a frame or message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected the server to negotiate an extension that it did not. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting (IANA registry). */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later, for example when overloaded (IANA registry). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway received an invalid response from upstream (IANA registry). */
    public static final int BAD_GATEWAY = 1014;
    /** 1015: reported locally when the TLS handshake failed; never sent. */
    public static final int TLS_HANDSHAKE = 1015;

    /** RFC 6455 5.5: control payload at most 125 bytes, of which 2 are the code. */
    public static final int MAX_REASON_BYTES = 123;

    /** The status reported when a close frame had no payload (RFC 6455 7.1.5). */
    public static final CloseStatus NO_STATUS = new CloseStatus(NO_STATUS_RECEIVED, "");
    /** The status reported when the connection ended without a closing handshake (RFC 6455 7.1.5). */
    public static final CloseStatus ABNORMAL = new CloseStatus(ABNORMAL_CLOSURE, "");

    /**
     * Checks the arguments.
     *
     * @throws IllegalArgumentException if the code is outside 1000-4999 or the reason is null or longer
     *     than 123 bytes of UTF-8
     */
    public CloseStatus {
        if (code < 1000 || code > 4999) {
            throw new IllegalArgumentException("close code " + code + " is outside 1000-4999");
        }
        if (reason == null) {
            throw new IllegalArgumentException("close reason is null; use \"\" for none");
        }
        int reasonBytes = utf8Length(reason);
        if (reasonBytes > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason of " + reasonBytes
                    + " UTF-8 bytes exceeds the limit of " + MAX_REASON_BYTES + " (RFC 6455 5.5)");
        }
    }

    /**
     * A status with no reason.
     *
     * @param code the close code
     * @return the status
     */
    public static CloseStatus of(int code) {
        return new CloseStatus(code, "");
    }

    /**
     * RFC 6455 7.4.1, 7.4.2: whether a code may appear in a close frame, sent or received.
     *
     * @param code a close code
     * @return true for 1000-1003, 1007-1014 and 3000-4999
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /**
     * Whether a code is one the failure funnel sends when the peer misbehaves.
     *
     * @param code a close code
     * @return true for 1002, 1007, 1008, 1009, 1010 and 1011
     */
    public static boolean isFailureCode(int code) {
        return code == PROTOCOL_ERROR || code == INVALID_FRAME_PAYLOAD_DATA || code == POLICY_VIOLATION
                || code == MESSAGE_TOO_BIG || code == MANDATORY_EXTENSION || code == INTERNAL_ERROR;
    }

    /**
     * The registered name of a code, used as the reason of close frames the protocol sends itself.
     *
     * @param code a close code
     * @return a short name, or "" for unregistered codes
     */
    public static String nameOf(int code) {
        return switch (code) {
            case NORMAL_CLOSURE -> "normal closure";
            case GOING_AWAY -> "going away";
            case PROTOCOL_ERROR -> "protocol error";
            case UNSUPPORTED_DATA -> "unsupported data";
            case NO_STATUS_RECEIVED -> "no status received";
            case ABNORMAL_CLOSURE -> "abnormal closure";
            case INVALID_FRAME_PAYLOAD_DATA -> "invalid frame payload data";
            case POLICY_VIOLATION -> "policy violation";
            case MESSAGE_TOO_BIG -> "message too big";
            case MANDATORY_EXTENSION -> "mandatory extension";
            case INTERNAL_ERROR -> "internal error";
            case SERVICE_RESTART -> "service restart";
            case TRY_AGAIN_LATER -> "try again later";
            case BAD_GATEWAY -> "bad gateway";
            case TLS_HANDSHAKE -> "TLS handshake failure";
            default -> "";
        };
    }

    /**
     * Parses a close frame's payload (RFC 6455 5.5.1): empty, or a 2-byte code then UTF-8 reason.
     *
     * @param payload the unmasked payload, at most 125 bytes; read from position to limit, not consumed
     * @return the status, {@link #NO_STATUS} for an empty payload
     * @throws ProtocolException 1002 for a 1-byte payload or a code that may not be on the wire, 1007 for a
     *     reason that is not valid UTF-8
     */
    public static CloseStatus parse(ByteBuffer payload) throws ProtocolException {
        int length = payload.remaining();
        if (length == 0) {
            return NO_STATUS;
        }
        if (length == 1) {
            throw ProtocolException.protocolError(
                    "close frame payload of 1 byte; RFC 6455 5.5.1 requires 0 bytes or a 2-byte code");
        }
        int start = payload.position();
        int code = ((payload.get(start) & 0xFF) << 8) | (payload.get(start + 1) & 0xFF);
        if (!isValidOnWire(code)) {
            throw ProtocolException.protocolError("close code " + code
                    + " may not be sent on the wire (RFC 6455 7.4.1, 7.4.2)");
        }
        ByteBuffer reasonBytes = payload.slice(start + 2, length - 2);
        if (!Utf8Validator.isValid(reasonBytes)) {
            throw ProtocolException.invalidPayload("close reason is not valid UTF-8 (RFC 6455 5.5.1)");
        }
        return new CloseStatus(code, StandardCharsets.UTF_8.decode(reasonBytes).toString());
    }

    /**
     * Encodes this status as a close frame payload.
     *
     * @return a new buffer holding the 2-byte code and the UTF-8 reason, ready to read
     * @throws IllegalArgumentException if the code may not be sent (1005, 1006, 1015, reserved codes)
     */
    public ByteBuffer encode() {
        if (!isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code
                    + " may not be sent on the wire (RFC 6455 7.4.1, 7.4.2)");
        }
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + reasonBytes.length);
        payload.putShort((short) code).put(reasonBytes).flip();
        return payload;
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3; // lone surrogates encode as '?' or U+FFFD, 1-3 bytes; count the upper bound
            }
        }
        return bytes;
    }

    @Override
    public String toString() {
        return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
    }
}
