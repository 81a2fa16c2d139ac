package io.duplex.client.internal;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The WHATWG URL Standard's host parser for special URLs (ws, wss, http, https): domains through IDNA,
 * IPv4 in all the numeric forms the standard accepts, IPv6 with compression; and their serializers.
 *
 * <p>Every method returns null where the standard returns failure.
 *
 * <p>Threading: stateless.
 */
final class HostParser {

    private HostParser() {
    }

    /**
     * URL Standard, "host parser" with isOpaque false: the serialized host, or null on failure.
     *
     * @param input the host part of the authority, non-empty, percent-encoded bytes as typed
     * @return the serialized host: a lower-case ASCII domain, a dotted IPv4 address, or a bracketed IPv6
     */
    static String parse(String input) {
        // Step 1: a '[' starts an IPv6 address that must end with ']'
        if (input.startsWith("[")) {
            if (!input.endsWith("]") || input.length() < 2) {
                return null;
            }
            int[] pieces = parseIpv6(input.substring(1, input.length() - 1));
            return pieces == null ? null : "[" + serializeIpv6(pieces) + "]";
        }
        // Steps 4-5: percent-decode, then UTF-8 decode without BOM (malformed bytes become U+FFFD, which
        // domain to ASCII then rejects)
        String domain = new String(percentDecode(input), StandardCharsets.UTF_8);
        if (domain.startsWith("\uFEFF")) {
            domain = domain.substring(1);
        }
        String ascii = domainToAscii(domain);
        if (ascii == null) {
            return null;
        }
        // Step 8: a domain that ends in a number is an IPv4 address (or failure)
        if (endsInANumber(ascii)) {
            long address = parseIpv4(ascii);
            return address < 0 ? null : serializeIpv4(address);
        }
        return ascii;
    }

    /** URL Standard, "domain to ASCII" with beStrict false, over java.net.IDN (IDNA 2003's ToASCII). */
    static String domainToAscii(String domain) {
        String result;
        if (isAscii(domain)) {
            // UTS 46 maps ASCII upper case to lower case and leaves the rest of ASCII alone when
            // UseSTD3ASCIIRules is false; punycode labels must still decode
            result = domain.toLowerCase(Locale.ROOT);
            for (String label : result.split("\\.", -1)) {
                if (label.startsWith("xn--") && IDN.toUnicode(label, IDN.ALLOW_UNASSIGNED).equals(label)) {
                    return null; // IDN.toUnicode returns its input when the punycode is invalid
                }
            }
        } else {
            try {
                result = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        // "domain to ASCII" steps 3-4: an empty result or a forbidden domain code point is failure
        if (result.isEmpty()) {
            return null;
        }
        for (int i = 0; i < result.length(); i++) {
            if (isForbiddenDomainCodePoint(result.charAt(i))) {
                return null;
            }
        }
        return result;
    }

    /** URL Standard: forbidden host code points, plus C0 controls, '%' and U+007F. */
    static boolean isForbiddenDomainCodePoint(char c) {
        return switch (c) {
            case '\u0000', '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|', '%',
                 '\u007F' -> true;
            default -> c < 0x20 || c > 0x7E;
        };
    }

    /** URL Standard, "ends in a number checker". */
    static boolean endsInANumber(String input) {
        String[] parts = input.split("\\.", -1);
        int last = parts.length - 1;
        // Step 2: a trailing empty part (a trailing dot) is ignored, unless it is the only part
        if (parts[last].isEmpty()) {
            if (parts.length == 1) {
                return false;
            }
            last--;
        }
        String part = parts[last];
        if (!part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return parseIpv4Number(part) >= 0;
    }

    /**
     * URL Standard, "IPv4 parser": 1 to 4 parts, each decimal, octal (leading 0) or hexadecimal (0x); the
     * last part fills the remaining bytes ("127.1" is 127.0.0.1, "0x7f000001" too).
     *
     * @return the address as an unsigned 32-bit value, or -1 on failure
     */
    static long parseIpv4(String input) {
        String[] parts = input.split("\\.", -1);
        int count = parts.length;
        if (parts[count - 1].isEmpty() && count > 1) {
            count--; // step 3: a trailing dot is a validation error, not a failure
        }
        if (count > 4) {
            return -1;
        }
        long[] numbers = new long[count];
        for (int i = 0; i < count; i++) {
            numbers[i] = parseIpv4Number(parts[i]);
            if (numbers[i] < 0) {
                return -1;
            }
        }
        // Steps 8-9: every part but the last is one byte; the last may fill the bytes that remain
        for (int i = 0; i < count - 1; i++) {
            if (numbers[i] > 255) {
                return -1;
            }
        }
        if (numbers[count - 1] >= 1L << (8 * (5 - count))) {
            return -1;
        }
        long ipv4 = numbers[count - 1];
        for (int i = 0; i < count - 1; i++) {
            ipv4 += numbers[i] << (8 * (3 - i));
        }
        return ipv4;
    }

    /** URL Standard, "IPv4 number parser": -1 on failure; values are capped to stay within a long. */
    static long parseIpv4Number(String input) {
        if (input.isEmpty()) {
            return -1;
        }
        int radix = 10;
        String digits = input;
        if (digits.length() >= 2 && digits.charAt(0) == '0' && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X')) {
            digits = digits.substring(2);
            radix = 16;
        } else if (digits.length() >= 2 && digits.charAt(0) == '0') {
            digits = digits.substring(1);
            radix = 8;
        }
        if (digits.isEmpty()) {
            return 0;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), radix);
            if (d < 0 || digits.charAt(i) > 0x7F) {
                return -1;
            }
            value = Math.min(value * radix + d, 1L << 40); // anything this large fails later anyway
        }
        return value;
    }

    /** URL Standard, "IPv4 serializer". */
    static String serializeIpv4(long address) {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    /**
     * URL Standard, "IPv6 parser": eight 16-bit pieces, "::" compressing a run of zeros, an optional
     * dotted IPv4 tail.
     *
     * @return the eight pieces, or null on failure
     */
    static int[] parseIpv6(String input) {
        int[] address = new int[8];
        int pieceIndex = 0;
        int compress = -1;
        int pointer = 0;
        int n = input.length();
        if (pointer < n && input.charAt(pointer) == ':') {
            // Step 5: a leading ':' must be the start of "::"
            if (n < 2 || input.charAt(1) != ':') {
                return null;
            }
            pointer += 2;
            pieceIndex++;
            compress = pieceIndex;
        }
        while (pointer < n) {
            if (pieceIndex == 8) {
                return null;
            }
            if (input.charAt(pointer) == ':') {
                if (compress != -1) {
                    return null; // a second "::"
                }
                pointer++;
                pieceIndex++;
                compress = pieceIndex;
                continue;
            }
            int value = 0;
            int length = 0;
            while (length < 4 && pointer < n && Character.digit(input.charAt(pointer), 16) >= 0
                    && input.charAt(pointer) < 0x80) {
                value = value * 16 + Character.digit(input.charAt(pointer), 16);
                pointer++;
                length++;
            }
            if (pointer < n && input.charAt(pointer) == '.') {
                // Step 6.5: an IPv4 tail fills the last two pieces
                if (length == 0) {
                    return null;
                }
                pointer -= length;
                if (pieceIndex > 6) {
                    return null;
                }
                int numbersSeen = 0;
                while (pointer < n) {
                    int ipv4Piece = -1;
                    if (numbersSeen > 0) {
                        if (input.charAt(pointer) == '.' && numbersSeen < 4) {
                            pointer++;
                        } else {
                            return null;
                        }
                    }
                    if (pointer >= n || !isAsciiDigit(input.charAt(pointer))) {
                        return null;
                    }
                    while (pointer < n && isAsciiDigit(input.charAt(pointer))) {
                        int number = input.charAt(pointer) - '0';
                        if (ipv4Piece == -1) {
                            ipv4Piece = number;
                        } else if (ipv4Piece == 0) {
                            return null; // no leading zeros
                        } else {
                            ipv4Piece = ipv4Piece * 10 + number;
                        }
                        if (ipv4Piece > 255) {
                            return null;
                        }
                        pointer++;
                    }
                    address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
                    numbersSeen++;
                    if (numbersSeen == 2 || numbersSeen == 4) {
                        pieceIndex++;
                    }
                }
                if (numbersSeen != 4) {
                    return null;
                }
                break;
            } else if (pointer < n && input.charAt(pointer) == ':') {
                pointer++;
                if (pointer >= n) {
                    return null; // a trailing single ':'
                }
            } else if (pointer < n) {
                return null;
            }
            address[pieceIndex] = value;
            pieceIndex++;
        }
        if (compress != -1) {
            // Step 8: move the pieces after "::" to the end
            int swaps = pieceIndex - compress;
            pieceIndex = 7;
            while (pieceIndex != 0 && swaps > 0) {
                int other = compress + swaps - 1;
                int t = address[pieceIndex];
                address[pieceIndex] = address[other];
                address[other] = t;
                pieceIndex--;
                swaps--;
            }
        } else if (pieceIndex != 8) {
            return null;
        }
        return address;
    }

    /** URL Standard, "IPv6 serializer": lower-case hex, the first longest run of two or more zeros as "::". */
    static String serializeIpv6(int[] address) {
        int compress = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (address[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && address[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestLength = j - i;
                compress = i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        boolean ignore0 = false;
        for (int i = 0; i < 8; i++) {
            if (ignore0 && address[i] == 0) {
                continue;
            }
            ignore0 = false;
            if (compress == i) {
                out.append(i == 0 ? "::" : ":");
                ignore0 = true;
                continue;
            }
            out.append(Integer.toHexString(address[i]));
            if (i != 7) {
                out.append(':');
            }
        }
        return out.toString();
    }

    /** URL Standard, "percent-decode" of a string's UTF-8 bytes. */
    static byte[] percentDecode(String input) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return b >= 0 ? Character.digit((char) b, 16) : -1;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }
}
