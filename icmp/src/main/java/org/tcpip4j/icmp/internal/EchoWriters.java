package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.icmp.internal.wire.IcmpHeader;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.netif.PacketWriter;

/**
 * The payload writers of an ICMP layer, each reused for every message it writes. For
 * ICMPv6 the layer gives each the partial sum of the message's pseudo-header
 * ({@link Message#pseudoHeader}) before it writes, and the checksum covers it (RFC 4443
 * 2.3); for ICMPv4 it gives none.
 */
final class EchoWriters {

    private EchoWriters() {
    }

    /** A writer whose checksum may cover a pseudo-header. */
    abstract static sealed class Message implements PacketWriter permits Reply, Request, Copy {
        final IcmpPacket packet = new IcmpPacket();
        boolean summed;
        long pseudoHeader;

        /** Sets the partial sum of the next message's pseudo-header: its checksum covers it. */
        final void pseudoHeader(long sum) {
            this.summed = true;
            this.pseudoHeader = sum;
        }

        /** Forgets the buffers, which belong to the device or the caller. */
        abstract void release();
    }

    /**
     * Writes the echo reply to a request (RFC 792 "Echo or Echo Reply Message", RFC 4443
     * 4.2): the request's bytes with the type changed to the reply's; identifier, sequence
     * and data are returned unchanged. An ICMPv4 checksum is updated for the one changed
     * word; an ICMPv6 one is computed again, as the reply's source, part of the
     * pseudo-header, may not be the request's destination.
     */
    static final class Reply extends Message {
        private final int replyType;
        private ByteBuffer request;
        private int from;
        private int length;

        /** Replies of {@code replyType}. */
        Reply(int replyType) {
            this.replyType = replyType;
        }

        /** The reply to the request at {@code request[from..from+length)}. */
        Reply request(ByteBuffer request, int from, int length) {
            this.request = request;
            this.from = from;
            this.length = length;
            return this;
        }

        @Override
        void release() {
            request = null;
        }

        @Override
        public int write(ByteBuffer buffer, int offset, int maxLength) {
            if (length > maxLength) {
                return 0;
            }
            buffer.put(offset, request, from, length);
            packet.wrap(buffer, offset, length);
            if (summed) {
                buffer.put(offset, (byte) replyType);
                packet.fillChecksum(pseudoHeader);
            } else {
                packet.changeType(replyType);
            }
            return length;
        }
    }

    /** Writes an echo request of ours: identifier, sequence, and a counting byte pattern. */
    static final class Request extends Message {
        private final int type;
        private int identifier;
        private int sequence;
        private int dataLength;

        /** Requests of {@code type}. */
        Request(int type) {
            this.type = type;
        }

        Request set(int identifier, int sequence, int dataLength) {
            this.identifier = identifier;
            this.sequence = sequence;
            this.dataLength = dataLength;
            return this;
        }

        @Override
        void release() {
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
            IcmpHeader h = IcmpHeader.echo(type, identifier, sequence, dataLength);
            packet.wrap(buffer, offset, length).emitHeader(h.type(), h.code(), h.restOfHeader());
            packet.fillChecksum(summed ? pseudoHeader : 0);
            return length;
        }
    }

    /**
     * Copies a whole message the caller built (for {@code Icmpv4.write}); for ICMPv6
     * ({@code Icmpv6.write}) computes its checksum as well.
     */
    static final class Copy extends Message {
        private ByteBuffer message;

        Copy message(ByteBuffer message) {
            this.message = message;
            return this;
        }

        @Override
        void release() {
            message = null;
        }

        @Override
        public int write(ByteBuffer buffer, int offset, int maxLength) {
            int n = Math.min(maxLength, message.remaining());
            buffer.put(offset, message, message.position(), n);
            if (summed && n >= 4) {
                packet.wrap(buffer, offset, n).fillChecksum(pseudoHeader);
            }
            return n;
        }
    }
}
