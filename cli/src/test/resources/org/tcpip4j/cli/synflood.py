# Sends COUNT TCP SYNs to DST:PORT at RATE per second from spoofed sources in 198.19.0.0/16
# (off-link: their SYN-ACKs go to the gateway, which drops them), as raw Ethernet frames on
# DEVICE, to DST_MAC. Stdlib only; bounded by COUNT; prints how many it sent and how long
# it took.
import random
import socket
import struct
import sys
import time

device, dst_mac, dst_ip, port, count, rate = (sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]),
                                              int(sys.argv[5]), int(sys.argv[6]))


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((device, 0))
src_mac = sock.getsockname()[4]
dst = bytes.fromhex(dst_mac.replace(":", ""))
daddr = socket.inet_aton(dst_ip)
rng = random.Random(7)
start = time.monotonic()
for i in range(count):
    if i % 50 == 0:
        ahead = start + i / rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    saddr = bytes([198, 19, rng.randrange(256), rng.randrange(1, 255)])
    sport = rng.randrange(1024, 65535)
    isn = rng.getrandbits(32)
    tcp = struct.pack("!HHIIBBHHH", sport, port, isn, 0, 6 << 4, 0x02, 64240, 0, 0) + struct.pack("!BBH", 2, 4, 1460)
    pseudo = saddr + daddr + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), i & 0xFFFF, 0x4000, 64, 6, 0, saddr, daddr)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    sock.send(dst + src_mac + b"\x08\x00" + ip + tcp)
print("sent %d SYNs in %.2f s" % (count, time.monotonic() - start))
