package org.tcpip4j.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tcpip4j.netif.InternetChecksum;

/**
 * The send path's copy of a segment's payload from the send buffer (a heap chunk) into the
 * frame (a direct buffer) and its checksum: a bulk copy and then a pass of
 * {@link InternetChecksum#sum} over the copy, against one pass that does both
 * ({@link InternetChecksum#copyAndSum}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChecksumCopyBenchmark {

    @Param({"1448", "65160"})
    int length;

    private byte[] chunk;
    private ByteBuffer frame;

    @Setup
    public void setUp() {
        chunk = new byte[65536];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) (i * 131 + 7);
        }
        frame = ByteBuffer.allocateDirect(65536 + 128);
    }

    @Benchmark
    public long copyThenSum() {
        frame.put(66, chunk, 0, length);
        return InternetChecksum.sum(frame, 66, length, 0);
    }

    @Benchmark
    public long copyAndSum() {
        return InternetChecksum.copyAndSum(chunk, 0, frame, 66, length, 0);
    }

    @Benchmark
    public void copyOnly() {
        frame.put(66, chunk, 0, length);
    }
}
