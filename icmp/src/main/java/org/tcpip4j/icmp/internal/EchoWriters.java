package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.icmp.internal.wire.IcmpHeader;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.icmp.internal.wire.IcmpType;
import org.tcpip4j.netif.PacketWriter;

/** The payload writers of the ICMP layer, each reused for every message it writes. */
final class EchoWriters {

    private EchoWriters() {
    }

    /**
     * Writes the echo reply to a request (RFC 792 "Echo or Echo Reply Message"): the
     * request's bytes with the type changed to 0; identifier, sequence and data are
     * returned unchanged, and the checksum is updated for the one changed word.
     */
    static final class Reply implements PacketWriter {
        private final IcmpPacket packet = new IcmpPacket();
        private ByteBuffer request;
        private int from;
        private int length;

        Reply request(ByteBuffer request, int from, int length) {
            this.request = request;
            this.from = from;
            this.length = length;
            return this;
        }

        /** Forgets the request buffer, which belongs to the device. */
        void release() {
            request = null;
        }

        @Override
        public int write(ByteBuffer buffer, int offset, int maxLength) {
            if (length > maxLength) {
                return 0;
            }
            buffer.put(offset, request, from, length);
            packet.wrap(buffer, offset, length).changeType(IcmpType.ECHO_REPLY);
            return length;
        }
    }

    /** Writes an echo request of ours: identifier, sequence, and a counting byte pattern. */
    static final class Request implements PacketWriter {
        private final IcmpPacket packet = new IcmpPacket();
        private int identifier;
        private int sequence;
        private int dataLength;

        Request set(int identifier, int sequence, int dataLength) {
            this.identifier = identifier;
            this.sequence = sequence;
            this.dataLength = dataLength;
            return this;
        }

        @Override
        public int write(ByteBuffer buffer, int offset, int maxLength) {
            int length = IcmpPacket.HEADER_LENGTH + dataLength;
            if (length > maxLength) {
                return 0;
            }
            for (int i = 0; i < dataLength; i++) {
                buffer.put(offset + IcmpPacket.HEADER_LENGTH + i, (byte) i);
            }
            IcmpHeader h = IcmpHeader.echo(IcmpType.ECHO_REQUEST, identifier, sequence, dataLength);
            packet.wrap(buffer, offset, length).emitHeader(h.type(), h.code(), h.restOfHeader());
            packet.fillChecksum();
            return length;
        }
    }

    /** Copies a whole message the caller built (for {@code Icmpv4.write}). */
    static final class Copy implements PacketWriter {
        private ByteBuffer message;

        Copy message(ByteBuffer message) {
            this.message = message;
            return this;
        }

        void release() {
            message = null;
        }

        @Override
        public int write(ByteBuffer buffer, int offset, int maxLength) {
            int n = Math.min(maxLength, message.remaining());
            buffer.put(offset, message, message.position(), n);
            return n;
        }
    }
}
