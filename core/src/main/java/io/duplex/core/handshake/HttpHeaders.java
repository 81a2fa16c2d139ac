package io.duplex.core.handshake;

import io.duplex.core.extension.ExtensionHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
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

    private static final Field[] NO_FIELDS = {};
    private static final HttpHeaders EMPTY = new HttpHeaders(NO_FIELDS, 0);

    // An array, not a List: a server builds one of these per handshake, and lookups below walk it without
    // creating iterators, lists or Optionals, so reading a request's headers makes no garbage.
    private final Field[] fields;
    private final int size;

    /** Takes ownership of the array: nothing else may write its first {@code size} slots. */
    private HttpHeaders(Field[] fields, int size) {
        this.fields = fields;
        this.size = size;
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
        private Field[] fields = NO_FIELDS;
        private int size;
        private boolean shared; // the array went into built headers: copy it before writing again

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
            return add(new Field(name, value));
        }

        /**
         * Appends a field.
         *
         * @param field the field
         * @return this builder
         */
        public Builder add(Field field) {
            Objects.requireNonNull(field, "field");
            if (size == fields.length || shared) {
                fields = Arrays.copyOf(fields, Math.max(8, size == fields.length ? size * 2 : fields.length));
                shared = false;
            }
            fields[size++] = field;
            return this;
        }

        /**
         * @param headers fields to append, in their order
         * @return this builder
         */
        public Builder addAll(HttpHeaders headers) {
            for (int i = 0; i < headers.size; i++) {
                add(headers.fields[i]);
            }
            return this;
        }

        /** @return the headers built so far; the builder may go on */
        public HttpHeaders build() {
            if (size == 0) {
                return EMPTY;
            }
            shared = true;
            return new HttpHeaders(fields, size);
        }
    }

    /**
     * The value of the first field with a name.
     *
     * @param name the name, any case
     * @return the value, if the header is present
     */
    public Optional<String> first(String name) {
        return Optional.ofNullable(value(name));
    }

    /** The value of the first field with a name, or null: {@link #first} without the Optional. */
    String value(String name) {
        for (int i = 0; i < size; i++) {
            if (fields[i].name().equalsIgnoreCase(name)) {
                return fields[i].value();
            }
        }
        return null;
    }

    /**
     * @param name the name, any case
     * @return how many fields have it
     */
    public int count(String name) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (fields[i].name().equalsIgnoreCase(name)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The values of every field with a name, in order.
     *
     * @param name the name, any case
     * @return the values, empty if the header is absent
     */
    public List<String> all(String name) {
        int count = count(name);
        if (count <= 1) {
            return count == 0 ? List.of() : List.of(value(name));
        }
        String[] values = new String[count];
        for (int i = 0, n = 0; i < size; i++) {
            if (fields[i].name().equalsIgnoreCase(name)) {
                values[n++] = fields[i].value();
            }
        }
        return List.of(values);
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
        if (count(name) == 0) {
            return List.of();
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (fields[i].name().equalsIgnoreCase(name)) {
                String value = fields[i].value();
                for (int start = 0, end; start <= value.length(); start = end + 1) {
                    end = elementEnd(value, start);
                    int from = trimStart(value, start, end);
                    int to = trimEnd(value, from, end);
                    if (to > from) {
                        tokens.add(value.substring(from, to));
                    }
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
        // the same elements as tokens(name), compared where they lie, so the check makes no garbage
        for (int i = 0; i < size; i++) {
            if (fields[i].name().equalsIgnoreCase(name)) {
                String value = fields[i].value();
                for (int start = 0, end; start <= value.length(); start = end + 1) {
                    end = elementEnd(value, start);
                    int from = trimStart(value, start, end);
                    int to = trimEnd(value, from, end);
                    if (to > from && to - from == token.length()
                            && value.regionMatches(true, from, token, 0, token.length())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // RFC 7230 7: a list is elements separated by commas, each with optional whitespace around it.

    /** The end (exclusive) of the list element that starts at {@code start}: the next comma or the end. */
    private static int elementEnd(String value, int start) {
        int comma = value.indexOf(',', start);
        return comma < 0 ? value.length() : comma;
    }

    private static int trimStart(String value, int from, int to) {
        while (from < to && Character.isWhitespace(value.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String value, int from, int to) {
        while (to > from && Character.isWhitespace(value.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /**
     * @param name the name, any case
     * @return whether any field has it
     */
    public boolean contains(String name) {
        return value(name) != null;
    }

    /** @return the number of fields, repeated names counted each time */
    public int size() {
        return size;
    }

    /** @return the fields in order */
    public List<Field> fields() {
        return List.of(Arrays.copyOf(fields, size));
    }

    /** @return the fields in order */
    @Override
    public Iterator<Field> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Field next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return fields[next++];
            }
        };
    }

    /** Equal when the fields are equal in order, names compared with their case. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HttpHeaders other
                && Arrays.equals(fields, 0, size, other.fields, 0, other.size);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < size; i++) {
            hash = 31 * hash + fields[i].hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            out.append(i > 0 ? ", " : "").append(fields[i].name()).append(": ").append(fields[i].value());
        }
        return out.append('}').toString();
    }

    /**
     * Writes a head: the start line, each field as {@code name: value}, every line ended by CRLF, then the
     * blank line and the body. Fields were checked when made, so no value can add a line.
     */
    static ByteBuffer writeHead(String startLine, HttpHeaders headers, byte[] body) {
        return writeHead(startLine, headers, 0, null, body);
    }

    /**
     * {@link #writeHead(String, HttpHeaders, byte[])} into one array of the exact size. With {@code acceptKeyOf}
     * non-null, a {@code Sec-WebSocket-Accept} line for that key goes before field number {@code acceptAt}
     * (the one value a 101 computes, written in place rather than made a String first).
     */
    static ByteBuffer writeHead(String startLine, HttpHeaders headers, int acceptAt, String acceptKeyOf,
                                byte[] body) {
        int length = startLine.length() + 2 + 2 + body.length;
        if (acceptKeyOf != null) {
            length += ACCEPT_NAME.length() + 2 + AcceptKey.LENGTH + 2;
        }
        for (int i = 0; i < headers.size; i++) {
            length += headers.fields[i].name().length() + 2 + headers.fields[i].value().length() + 2;
        }
        byte[] out = new byte[length];
        int at = line(out, 0, startLine, null);
        for (int i = 0; i <= headers.size; i++) {
            if (i == acceptAt && acceptKeyOf != null) {
                at = text(out, at, ACCEPT_NAME);
                out[at++] = ':';
                out[at++] = ' ';
                AcceptKey.write(acceptKeyOf, out, at);
                at = line(out, at + AcceptKey.LENGTH, "", null);
            }
            if (i < headers.size) {
                at = line(out, at, headers.fields[i].name(), headers.fields[i].value());
            }
        }
        at = line(out, at, "", null);
        System.arraycopy(body, 0, out, at, body.length);
        return ByteBuffer.wrap(out);
    }

    private static final String ACCEPT_NAME = "Sec-WebSocket-Accept";

    /** Writes {@code name: value} (or just {@code name} when value is null) and CRLF, ISO-8859-1. */
    private static int line(byte[] out, int at, String name, String value) {
        at = text(out, at, name);
        if (value != null) {
            out[at++] = ':';
            out[at++] = ' ';
            at = text(out, at, value);
        }
        out[at++] = '\r';
        out[at++] = '\n';
        return at;
    }

    private static int text(byte[] out, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            out[at + i] = (byte) text.charAt(i); // ISO-8859-1: Field checked every char is <= U+00FF
        }
        return at + text.length();
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
