package io.duplex.benchmarks;

import io.duplex.core.frame.Masking;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Masking throughput on 64 KiB (RFC 6455 5.3), the per-byte cost every client-to-server byte pays: unmask
 * in place on a server's heap and direct receive buffers, and mask from a heap payload into a heap or a
 * direct send buffer on a client. Each op handles 65,536 bytes, so bytes/s = ops/s x 65,536. The target in
 * our issue is unmask at 4 GB/s or more.
 *
 * <p>Unmasking in place twice restores the data, so repeating it needs no copy: every invocation does the
 * same work on the same kind of bytes. The key and offset are fields, not constants, so the JIT cannot
 * specialise the loop for them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class MaskingBenchmark {

    private ByteBuffer heap;
    private ByteBuffer direct;
    private ByteBuffer source;
    private ByteBuffer heapTarget;
    private ByteBuffer directTarget;
    private int maskKey;
    private int maskOffset;

    /** Fills the buffers once. */
    @Setup(Level.Trial)
    public void allocate() {
        byte[] data = BenchData.text(BenchData.Text.MIXED, BenchData.LARGE);
        heap = ByteBuffer.wrap(data.clone());
        direct = ByteBuffer.allocateDirect(BenchData.LARGE).put(data).clear();
        source = ByteBuffer.wrap(data.clone());
        heapTarget = ByteBuffer.allocate(BenchData.LARGE);
        directTarget = ByteBuffer.allocateDirect(BenchData.LARGE);
        maskKey = BenchData.MASK_KEY;
        maskOffset = 0;
    }

    /** Server side: unmask a heap receive buffer in place. */
    @Benchmark
    public ByteBuffer unmaskHeap() {
        Masking.unmask(heap, 0, BenchData.LARGE, maskKey, maskOffset);
        return heap;
    }

    /** Server side: unmask a direct receive buffer in place. */
    @Benchmark
    public ByteBuffer unmaskDirect() {
        Masking.unmask(direct, 0, BenchData.LARGE, maskKey, maskOffset);
        return direct;
    }

    /** Client side: mask a heap payload into a heap send buffer. */
    @Benchmark
    public ByteBuffer maskHeapToHeap() {
        heapTarget.clear();
        Masking.mask(source, heapTarget, maskKey);
        return heapTarget;
    }

    /** Client side: mask a heap payload into a direct send buffer. */
    @Benchmark
    public ByteBuffer maskHeapToDirect() {
        directTarget.clear();
        Masking.mask(source, directTarget, maskKey);
        return directTarget;
    }
}
