package org.tcpip4j.netif.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.ForwardingNetif;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * A {@link Netif} that records every frame its inner device receives and every frame
 * written to it in a pcap file, through a {@link PcapWriter}, timestamped with the loop's
 * {@link EventLoop#epochMicros()} (real time, or virtual time in a simulation). Frames
 * pass unchanged; a received frame is recorded before the listener sees it, a written one
 * as soon as the writer has filled the device's buffer.
 *
 * <p>The capture is buffered: it reaches the file when the buffer fills, on {@link #flush()},
 * and on {@link #disconnect()}, which closes it. A capture that fails (disk full) is logged
 * once and stopped; the traffic goes on, and {@link #flush()} reports the failure.
 *
 * <p>Loop only, as every netif, but for {@link #mac()}, {@link #mtu()}, {@link #stats()} and
 * {@link #disconnect()}. The file is written from the loop.
 */
public final class PcapNetif extends ForwardingNetif {

    private static final Logger LOG = LoggerFactory.getLogger(PcapNetif.class);

    private final PcapWriter capture;
    private final FrameHandler fromDevice = this::received;
    private final PacketWriter capturingWriter = this::writeAndCapture;
    private FrameHandler handler;
    private PacketWriter userWriter;
    private IOException failure;
    private boolean closed;

    /** Wraps {@code inner}, recording its traffic with {@code capture}, which this netif closes on disconnect. */
    public PcapNetif(Netif inner, PcapWriter capture) {
        super(inner);
        this.capture = Objects.requireNonNull(capture, "capture");
    }

    /** Wraps {@code inner}, recording its traffic in {@code file} (created or truncated). */
    public static PcapNetif create(Netif inner, Path file) throws IOException {
        return new PcapNetif(inner, PcapWriter.create(file));
    }

    /** The number of frames recorded so far. */
    public long capturedFrames() {
        return capture.records();
    }

    /**
     * Writes the frame through the inner device and records it.
     *
     * @return what the inner device returns
     */
    @Override
    public Result<NetifError> write(int size, PacketWriter writer) {
        PacketWriter previous = userWriter; // in case the device calls back into us
        userWriter = writer;
        try {
            return inner.write(size, capturingWriter);
        } finally {
            userWriter = previous;
        }
    }

    private int writeAndCapture(ByteBuffer buffer, int offset, int maxLength) {
        int length = userWriter.write(buffer, offset, maxLength);
        if (length >= 0 && length <= maxLength) {
            record(buffer, offset, length);
        }
        return length;
    }

    /**
     * Records every frame the inner device receives and hands it to {@code handler},
     * replacing the handler set before.
     *
     * @return a future that completes when the inner device is disconnected
     */
    @Override
    public CompletableFuture<Void> listen(FrameHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return inner.listen(fromDevice);
    }

    private void received(ByteBuffer frame) {
        record(frame, frame.position(), frame.remaining());
        FrameHandler h = handler;
        if (h != null) {
            h.frame(frame);
        }
    }

    private void record(ByteBuffer buffer, int offset, int length) {
        if (closed || failure != null) {
            return;
        }
        try {
            capture.write(inner.loop().epochMicros(), buffer, offset, length);
        } catch (IOException e) {
            failure = e;
            LOG.error("packet capture of {} failed and is stopped; traffic goes on: {}", inner, e.toString());
        }
    }

    /**
     * Writes the buffered records to the file. Loop only.
     *
     * @throws IOException when the capture failed, now or before
     */
    public void flush() throws IOException {
        if (failure != null) {
            throw failure;
        }
        capture.flush();
    }

    /**
     * Flushes and closes the capture file, then disconnects the inner device. Idempotent.
     *
     * @return a future that completes when the inner device's disconnect does
     */
    @Override
    public CompletableFuture<Void> disconnect() {
        return inner.loop().call(() -> {
            if (!closed) {
                closed = true;
                try {
                    capture.close();
                } catch (IOException e) {
                    LOG.error("closing the packet capture of {} failed", inner, e);
                }
            }
            return inner.disconnect();
        });
    }

    @Override
    public String toString() {
        return "PcapNetif[" + inner + "]";
    }
}
