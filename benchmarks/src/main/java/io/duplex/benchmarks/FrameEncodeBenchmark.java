package io.duplex.benchmarks;

import io.duplex.core.Opcode;
import io.duplex.core.frame.FrameWriter;
import java.nio.ByteBuffer;
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
 * Outbound frame encoding with {@link FrameWriter#writeFrame} into one reused buffer, as a transport that
 * encodes into its write buffer does: a server's unmasked frames (header plus a bulk copy) and a client's
 * masked ones (header plus an XOR per byte, RFC 6455 5.3).
 *
 * <p>{@code payloadSize} 16 measures the per-frame overhead (header encoding, argument checks); 65,536
 * measures the per-byte cost, and ops/s x 65,536 is bytes/s. {@code target} chooses a heap or a direct
 * output buffer: sockets are written from direct buffers, and the masking code takes a different path
 * when the target has no array. The payload is always a heap buffer, as an application hands it over.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class FrameEncodeBenchmark {

    /** Payload bytes per frame. */
    @Param({"16", "65536"})
    public int payloadSize;

    /** Output buffer kind: {@code heap} or {@code direct}. */
    @Param({"heap", "direct"})
    public String target;

    private ByteBuffer payload;
    private ByteBuffer out;
    /** A field, not a constant, so the JIT cannot fold the key into the XOR. */
    private int maskKey;

    /** Builds the payload and the output buffer once. */
    @Setup(Level.Trial)
    public void allocate() {
        payload = ByteBuffer.wrap(BenchData.text(BenchData.Text.ASCII, payloadSize));
        int capacity = FrameWriter.MAX_HEADER_LENGTH + payloadSize;
        out = target.equals("direct") ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        maskKey = BenchData.MASK_KEY;
    }

    /** A server's frame: no mask, so the payload is copied as is. */
    @Benchmark
    public ByteBuffer serverUnmasked() {
        out.clear();
        FrameWriter.writeFrame(out, true, 0, Opcode.BINARY, payload, false, 0);
        return out;
    }

    /** A client's frame: masked into the output, the payload left untouched. */
    @Benchmark
    public ByteBuffer clientMasked() {
        out.clear();
        FrameWriter.writeFrame(out, true, 0, Opcode.BINARY, payload, true, maskKey);
        return out;
    }
}
