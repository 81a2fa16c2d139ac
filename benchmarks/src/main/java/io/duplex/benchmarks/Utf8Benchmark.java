package io.duplex.benchmarks;

import io.duplex.core.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * UTF-8 validation of a 64 KiB text message (RFC 6455 8.1 requires it for every text message), against
 * the JDK's decoders as a yardstick. Each op handles 65,536 bytes, so bytes/s = ops/s x 65,536. Targets in
 * our issue: 2 GB/s on ASCII, 500 MB/s on mixed text.
 *
 * <p>{@code text}: {@code ASCII}; {@code MIXED}, chat text with Latin accents, Greek, CJK, Hangul and a few
 * emoji between ASCII words; {@code EMOJI}, nearly all 4-byte sequences. See {@link BenchData#text}.
 *
 * <p>Our methods: {@code isValid} on a heap array and on a direct buffer (no array, so the
 * {@code ByteBuffer} path), and {@code feed}, the incremental entry point the decoder uses, on a heap
 * buffer. The baselines do more than validate, which is why they are baselines and not rivals:
 * {@code jdkNewString} allocates and fills a {@code String} (the JDK has ASCII and Latin-1 intrinsics
 * here); {@code jdkDecoderReport} decodes into a reused {@code CharBuffer} with a {@code CharsetDecoder}
 * set to REPORT malformed input, the closest the JDK has to a validator that does not allocate.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class Utf8Benchmark {

    /** The text flavour, a {@link BenchData.Text} name. */
    @Param({"ASCII", "MIXED", "EMOJI"})
    public String text;

    private byte[] bytes;
    private ByteBuffer heap;
    /** The decoder baseline moves its input's position, so it gets its own view of the bytes. */
    private ByteBuffer decoderInput;
    private ByteBuffer direct;
    private final Utf8Validator validator = new Utf8Validator();
    private CharsetDecoder decoder;
    private CharBuffer chars;

    /** Generates the text once and checks it is valid, so no benchmark measures an early exit. */
    @Setup(Level.Trial)
    public void generate() {
        bytes = BenchData.text(BenchData.Text.valueOf(text), BenchData.LARGE);
        if (!Utf8Validator.isValid(bytes, 0, bytes.length)) {
            throw new IllegalStateException("generated " + text + " text is not valid UTF-8");
        }
        heap = ByteBuffer.wrap(bytes);
        decoderInput = ByteBuffer.wrap(bytes);
        direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).clear();
        decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        chars = CharBuffer.allocate(bytes.length); // UTF-8 never needs more chars than bytes
    }

    /** One-shot validation of a byte array (the heap fast path). */
    @Benchmark
    public boolean isValidHeap() {
        return Utf8Validator.isValid(bytes, 0, bytes.length);
    }

    /** One-shot validation of a direct buffer. */
    @Benchmark
    public boolean isValidDirect() {
        return Utf8Validator.isValid(direct);
    }

    /** Incremental validation, the whole message in one chunk, then the end-of-message check. */
    @Benchmark
    public boolean feedHeap() {
        validator.reset();
        return validator.feed(heap) && validator.isComplete();
    }

    /** Baseline: the JDK decoding into a new String. */
    @Benchmark
    public String jdkNewString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Baseline: a reporting CharsetDecoder into a reused CharBuffer, no allocation per op. */
    @Benchmark
    public boolean jdkDecoderReport() {
        decoder.reset();
        decoderInput.clear();
        chars.clear();
        CoderResult result = decoder.decode(decoderInput, chars, true);
        return !result.isError() && !decoder.flush(chars).isError();
    }
}
