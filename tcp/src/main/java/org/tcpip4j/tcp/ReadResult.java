package org.tcpip4j.tcp;

import java.nio.ByteBuffer;
import java.util.Objects;

/** What {@link TcpFlow#read()} gives: some bytes, or the end of the stream (Mirage_flow). */
public sealed interface ReadResult {

    /** At least one byte, between the buffer's position and limit; the buffer is the reader's. */
    record Data(ByteBuffer data) implements ReadResult {
        public Data {
            Objects.requireNonNull(data, "data");
        }
    }

    /** The peer closed its direction and every byte it sent has been read. */
    record Eof() implements ReadResult {
    }

    /** The shared {@link Eof}. */
    ReadResult EOF = new Eof();
}
