package io.duplex.cli.internal;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a size in bytes: a decimal number with an optional binary unit, case-insensitive:
 * {@code 65536}, {@code 64k}, {@code 64KiB}, {@code 64kb}, {@code 1m}, {@code 1MiB}, {@code 1g}. Every unit is
 * a power of 1024 (a "KB" on a command line almost always means KiB). The result is 1 to
 * {@link #MAX} bytes.
 *
 * <p>Threading: stateless.
 */
public final class ByteSize implements ITypeConverter<Long> {

    /** The largest size accepted: the largest array a JVM allocates holds a whole message. */
    public static final long MAX = Integer.MAX_VALUE - 8;

    /** Creates the converter (picocli instantiates it). */
    public ByteSize() {
    }

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /**
     * @param value the text, for example "64KiB"
     * @return the number of bytes
     * @throws TypeConversionException naming the value and the accepted forms
     */
    public static long parse(String value) {
        String text = value.toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        int shift = switch (text.substring(digits)) {
            case "", "b" -> 0;
            case "k", "kb", "kib" -> 10;
            case "m", "mb", "mib" -> 20;
            case "g", "gb", "gib" -> 30;
            default -> -1;
        };
        if (digits == 0 || shift < 0) {
            throw new TypeConversionException("size '" + value + "' is not a number of bytes with an optional"
                    + " unit k, KiB, m, MiB, g or GiB (for example 65536, 64k, 1MiB)");
        }
        // More than 10 digits is over MAX whatever the unit; checking first keeps parseLong from overflowing.
        long number = digits > 10 ? Long.MAX_VALUE : Long.parseLong(text, 0, digits, 10);
        if (number == 0) {
            throw new TypeConversionException("size '" + value + "' must be at least 1 byte");
        }
        if (number > MAX >> shift) {
            throw new TypeConversionException("size '" + value + "' exceeds the largest supported, " + MAX
                    + " bytes");
        }
        return number << shift;
    }
}
