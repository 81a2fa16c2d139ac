package io.duplex.benchmarks;

import io.duplex.core.Event;
import io.duplex.core.Opcode;
import io.duplex.core.ProtocolException;
import io.duplex.core.Role;
import io.duplex.core.WebSocketConnection;
import io.duplex.core.frame.FrameReader;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Inbound frame parsing on the server side, where every frame is masked and so unmasking is included.
 *
 * <ul>
 *   <li>{@code smallFrames*}: a 22 KiB buffer holding {@value #FRAMES} client text frames of 16 bytes payload
 *       each (22 bytes on the wire), the shape of a chatty protocol. Scores are per frame (the method is
 *       annotated with {@code @OperationsPerInvocation}), so ops/s is frames/s.
 *       {@code smallFramesReader} runs the dumb {@link FrameReader} alone, with a consumer that only sums;
 *       {@code smallFramesConnection} runs the whole inbound path of a {@link WebSocketConnection}
 *       (reader, strict decoder, UTF-8 validation, a {@code String} per message, the event queue), so its
 *       ops/s is messages/s.</li>
 *   <li>{@code largeFrameReader}: one 64 KiB masked binary frame; ops/s x 65,536 is bytes/s.</li>
 * </ul>
 *
 * <p>The reader unmasks in place, so the input would be garbage on the second pass. Each invocation first
 * copies the pristine masked bytes over the work buffer with {@code System.arraycopy}; {@code *CopyOnly}
 * measure that copy alone, with the same per-operation scaling, so its cost can be subtracted (in time
 * per op: 1/score) and the docs do so.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class FrameParseBenchmark {

    /** Frames in the small-frame buffer; a constant because {@code @OperationsPerInvocation} needs one. */
    static final int FRAMES = 1024;
    /** Payload bytes of each small frame. */
    static final int SMALL_PAYLOAD = 16;

    private byte[] smallPristine;
    private byte[] smallWork;
    private ByteBuffer smallBuffer;
    private byte[] largePristine;
    private byte[] largeWork;
    private ByteBuffer largeBuffer;
    private final FrameReader reader = new FrameReader();
    private final SummingConsumer consumer = new SummingConsumer();
    private WebSocketConnection connection;

    /** Encodes the inputs once; generating them is not part of any measurement. */
    @Setup(Level.Trial)
    public void encode() {
        smallPristine = BenchData.maskedFrames(Opcode.TEXT, FRAMES, SMALL_PAYLOAD);
        smallWork = smallPristine.clone();
        smallBuffer = ByteBuffer.wrap(smallWork);
        largePristine = BenchData.maskedFrames(Opcode.BINARY, 1, BenchData.LARGE);
        largeWork = largePristine.clone();
        largeBuffer = ByteBuffer.wrap(largeWork);
    }

    /**
     * A fresh connection per iteration. The frames carry no close, so the connection stays OPEN; a new one
     * per iteration keeps any state a long run might build up (none is expected) from leaking across.
     */
    @Setup(Level.Iteration)
    public void connect() {
        connection = WebSocketConnection.builder(Role.SERVER).build();
    }

    /** Baseline: restoring the masked small frames, without parsing them. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public byte[] smallFramesCopyOnly() {
        System.arraycopy(smallPristine, 0, smallWork, 0, smallWork.length);
        return smallWork;
    }

    /** FrameReader over {@value #FRAMES} masked 16-byte text frames, copy included. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long smallFramesReader() throws ProtocolException {
        System.arraycopy(smallPristine, 0, smallWork, 0, smallWork.length);
        smallBuffer.clear();
        consumer.sum = 0;
        reader.read(smallBuffer, consumer);
        return consumer.sum;
    }

    /** The whole server inbound path over the same frames, copy included; every event is drained. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void smallFramesConnection(Blackhole bh) {
        System.arraycopy(smallPristine, 0, smallWork, 0, smallWork.length);
        smallBuffer.clear();
        connection.receive(smallBuffer);
        Event event;
        while ((event = connection.pollEvent()) != null) {
            bh.consume(event);
        }
    }

    /** Baseline: restoring the 64 KiB masked frame, without parsing it. */
    @Benchmark
    public byte[] largeFrameCopyOnly() {
        System.arraycopy(largePristine, 0, largeWork, 0, largeWork.length);
        return largeWork;
    }

    /** FrameReader over one 64 KiB masked binary frame, copy included. */
    @Benchmark
    public long largeFrameReader() throws ProtocolException {
        System.arraycopy(largePristine, 0, largeWork, 0, largeWork.length);
        largeBuffer.clear();
        consumer.sum = 0;
        reader.read(largeBuffer, consumer);
        return consumer.sum;
    }

    /**
     * Consumes frame parts cheaply but not for nothing: it folds the header fields and the first and last
     * payload byte of each chunk into a sum the benchmark returns, so neither parsing nor unmasking can be
     * discarded as dead code.
     *
     * <p>Threading: confined to the benchmark thread.
     */
    static final class SummingConsumer implements FrameReader.Consumer {
        long sum;

        @Override
        public void frameHeader(boolean fin, int rsv, int opcode, boolean masked, int maskKey, long payloadLength) {
            sum += opcode + maskKey + payloadLength + (fin ? 1 : 0);
        }

        @Override
        public void payload(ByteBuffer chunk) {
            int end = chunk.limit();
            if (end > chunk.position()) {
                sum += chunk.get(chunk.position()) + chunk.get(end - 1);
            }
            chunk.position(end);
        }

        @Override
        public boolean frameEnd() {
            sum++;
            return true;
        }
    }
}
