package io.duplex.core.handshake;

import io.duplex.core.extension.ExtensionHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The header fields of an HTTP head: an immutable, ordered list of name-value pairs looked up by name
 * case-insensitively (RFC 7230 3.2). A name may repeat; {@link #all} and {@link #tokens} see every line.
 *
 * <p>Every field is checked when it is made (see {@link Field}), so a head written from these headers cannot
 * be split into extra header lines by a value holding CR or LF.
 *
 * <p>Threading: immutable; safe to share between threads.
 */
public final class HttpHeaders implements Iterable<HttpHeaders.Field> {

    private static final HttpHeaders EMPTY = new HttpHeaders(List.of());

    private final List<Field> fields;

    private HttpHeaders(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    /**
     * One header field.
     *
     * <p>Threading: immutable.
     *
     * @param name the field name, a token, with the case it was written in
     * @param value the field value without surrounding whitespace
     */
    public record Field(String name, String value) {
        /**
         * Checks the field.
         *
         * @throws IllegalArgumentException if the name is not a token or the value holds a control character
         *     other than tab (CR and LF included: they would split the head) or a character above U+00FF
         */
        public Field {
            if (name == null || !ExtensionHeader.isToken(name)) {
                throw new IllegalArgumentException("header name \"" + name + "\" is not a token (RFC 7230 3.2)");
            }
            if (value == null) {
                throw new IllegalArgumentException("value of header " + name + " is null");
            }
            int bad = indexOfInvalidValueChar(value);
            if (bad >= 0) {
                throw new IllegalArgumentException(String.format(
                        "value of header %s holds character 0x%02X at position %d; RFC 7230 3.2 allows only"
                                + " tab, visible characters, space and obs-text", name, (int) value.charAt(bad), bad));
            }
        }
    }

    /** @return headers with no fields */
    public static HttpHeaders empty() {
        return EMPTY;
    }

    /**
     * Headers from alternating names and values.
     *
     * @param namesAndValues name, value, name, value, ...
     * @return the headers in that order
     * @throws IllegalArgumentException if the count is odd or a field is invalid
     */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(namesAndValues.length + " strings given; names and values come in pairs");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /** @return a builder for new headers */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link HttpHeaders} in order.
     *
     * <p>Threading: not thread-safe; confined to the thread building the headers.
     */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();

        private Builder() {
        }

        /**
         * Appends a field.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         * @throws IllegalArgumentException if the field is invalid (see {@link Field})
         */
        public Builder add(String name, String value) {
            fields.add(new Field(name, value));
            return this;
        }

        /** @param headers fields to append, in their order @return this builder */
        public Builder addAll(HttpHeaders headers) {
            fields.addAll(headers.fields);
            return this;
        }

        /** @return the headers built so far; the builder may go on */
        public HttpHeaders build() {
            return fields.isEmpty() ? EMPTY : new HttpHeaders(fields);
        }
    }

    /**
     * The value of the first field with a name.
     *
     * @param name the name, any case
     * @return the value, if the header is present
     */
    public Optional<String> first(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return Optional.of(field.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The values of every field with a name, in order.
     *
     * @param name the name, any case
     * @return the values, empty if the header is absent
     */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                values.add(field.value());
            }
        }
        return List.copyOf(values);
    }

    /**
     * The elements of a comma-separated list header across all its lines (RFC 7230 7), trimmed, with empty
     * elements dropped. Commas inside quoted-strings are not special here: this is for headers whose elements
     * are tokens, such as {@code Connection}, {@code Upgrade} and {@code Sec-WebSocket-Protocol}.
     *
     * @param name the name, any case
     * @return the elements in order, empty if the header is absent
     */
    public List<String> tokens(String name) {
        List<String> tokens = new ArrayList<>();
        for (String value : all(name)) {
            for (String element : value.split(",", -1)) {
                String trimmed = element.strip();
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
        }
        return List.copyOf(tokens);
    }

    /**
     * Whether a list header holds a token, compared case-insensitively, as the {@code Connection} and
     * {@code Upgrade} tokens are.
     *
     * @param name the header name, any case
     * @param token the token
     * @return true if one of {@link #tokens(String)} equals it ignoring case
     */
    public boolean containsToken(String name, String token) {
        for (String element : tokens(name)) {
            if (element.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** @param name the name, any case @return whether any field has it */
    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /** @return the number of fields, repeated names counted each time */
    public int size() {
        return fields.size();
    }

    /** @return the fields in order */
    public List<Field> fields() {
        return fields;
    }

    /** @return the fields in order */
    @Override
    public Iterator<Field> iterator() {
        return fields.iterator();
    }

    /** Equal when the fields are equal in order, names compared with their case. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HttpHeaders other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        for (Field field : fields) {
            out.append(out.length() > 1 ? ", " : "").append(field.name()).append(": ").append(field.value());
        }
        return out.append('}').toString();
    }

    /**
     * Writes a head: the start line, each field as {@code name: value}, every line ended by CRLF, then the
     * blank line and the body. Fields were checked when made, so no value can add a line.
     */
    static ByteBuffer writeHead(String startLine, HttpHeaders headers, byte[] body) {
        StringBuilder head = new StringBuilder(startLine).append("\r\n");
        for (Field field : headers) {
            head.append(field.name()).append(": ").append(field.value()).append("\r\n");
        }
        byte[] bytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(bytes.length + body.length);
        return out.put(bytes).put(body).flip();
    }

    /** RFC 7230 3.2: field-value is tab, SP, VCHAR and obs-text (0x80-0xFF); -1 if all are valid. */
    static int indexOfInvalidValueChar(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF))) {
                return i;
            }
        }
        return -1;
    }
}
