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
     * Writes the echo reply to a request (RFC 792 "Echo or Echo Reply Message", RFC 4443
     * 4.2): the request's bytes with the type changed to 0 (ICMPv6: 129); identifier,
     * sequence and data are returned unchanged. An ICMPv4 checksum is updated for the one
     * changed word; an ICMPv6 one is computed again, as the reply's source, part of the
     * pseudo-header, may not be the request's destination.
     */
    static final class Reply implements PacketWriter {
        private final IcmpPacket packet = new IcmpPacket();
        private ByteBuffer request;
        private int from;
        private int length;
        private int replyType;
        private boolean summed;
        private long pseudoHeader;

        /** An ICMPv4 reply to the request at {@code request[from..from+length)}. */
        Reply request(ByteBuffer request, int from, int length) {
            this.request = request;
            this.from = from;
            this.length = length;
            this.replyType = IcmpType.ECHO_REPLY;
            this.summed = false;
            return this;
        }

        /**
         * A reply of {@code replyType} to the request at {@code request[from..from+length)},
         * checksummed over the partial sum {@code pseudoHeader} and the whole message.
         */
        Reply request(ByteBuffer request, int from, int length, int replyType, long pseudoHeader) {
            request(request, from, length);
            this.replyType = replyType;
            this.summed = true;
            this.pseudoHeader = pseudoHeader;
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

    /**
     * Writes an echo request of ours: identifier, sequence, and a counting byte pattern;
     * for ICMPv6 its type is 128 and its checksum covers the pseudo-header.
     */
    static final class Request implements PacketWriter {
        private final IcmpPacket packet = new IcmpPacket();
        private int type;
        private int identifier;
        private int sequence;
        private int dataLength;
        private long pseudoHeader;

        /** An ICMPv4 echo request. */
        Request set(int identifier, int sequence, int dataLength) {
            return set(IcmpType.ECHO_REQUEST, identifier, sequence, dataLength, 0);
        }

        /** An echo request of {@code type}, checksummed over the partial sum {@code pseudoHeader} too. */
        Request set(int type, int identifier, int sequence, int dataLength, long pseudoHeader) {
            this.type = type;
            this.identifier = identifier;
            this.sequence = sequence;
            this.dataLength = dataLength;
            this.pseudoHeader = pseudoHeader;
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
            IcmpHeader h = IcmpHeader.echo(type, identifier, sequence, dataLength);
            packet.wrap(buffer, offset, length).emitHeader(h.type(), h.code(), h.restOfHeader());
            packet.fillChecksum(pseudoHeader);
            return length;
        }
    }

    /**
     * Copies a whole message the caller built (for {@code Icmpv4.write}), or for ICMPv6
     * ({@code Icmpv6.write}) computes its checksum over the pseudo-header as well.
     */
    static final class Copy implements PacketWriter {
        private final IcmpPacket packet = new IcmpPacket();
        private ByteBuffer message;
        private boolean summed;
        private long pseudoHeader;

        /** The message, copied as it is. */
        Copy message(ByteBuffer message) {
            this.message = message;
            this.summed = false;
            return this;
        }

        /** The message, its checksum computed over the partial sum {@code pseudoHeader} and itself. */
        Copy message(ByteBuffer message, long pseudoHeader) {
            this.message = message;
            this.summed = true;
            this.pseudoHeader = pseudoHeader;
            return this;
        }

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
