package org.tcpip4j.ipv6.internal.nd;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.tcpip4j.netif.Ipv6Address;

/**
 * Interface identifiers: the modified EUI-64 of a MAC (RFC 4291 2.5.1, appendix A) for the
 * link-local address, and the stable, semantically opaque identifiers of RFC 7217 for the
 * addresses SLAAC forms, as Linux's {@code stable_secret} does.
 */
final class InterfaceIds {

    /** RFC 7217 6: how many times DAD failure forms a new identifier (IDGEN_RETRIES). */
    static final int IDGEN_RETRIES = 3;

    private InterfaceIds() {
    }

    /** The modified EUI-64 identifier of {@code mac}: ff:fe in the middle, the universal/local bit flipped. */
    static long modifiedEui64(long mac) {
        long oui = (mac >>> 24) & 0xff_ffffL;
        long nic = mac & 0xff_ffffL;
        return ((oui ^ 0x02_0000L) << 40) | (0xff_feL << 24) | nic;
    }

    /** The link-local address fe80::/64 with {@code mac}'s modified EUI-64 identifier. */
    static Ipv6Address linkLocal(long mac) {
        return new Ipv6Address(0xfe80L << 48, modifiedEui64(mac));
    }

    /**
     * RFC 7217 5: F(Prefix, Net_Iface, Network_ID, DAD_Counter, secret_key), with SHA-256 as
     * F, the interface's MAC as Net_Iface and no Network_ID; the identifier is the first 64
     * bits of the hash. The counter goes up past identifiers reserved by RFC 5453.
     *
     * @param prefix the high 64 bits of the /64 prefix
     * @param dadCounter 0, then one more for each address DAD found taken
     */
    static long stable(long prefix, long mac, int dadCounter, byte[] secret) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every Java platform", e);
        }
        for (int counter = dadCounter; ; counter++) {
            sha.reset();
            for (int i = 7; i >= 0; i--) {
                sha.update((byte) (prefix >>> (8 * i)));
            }
            for (int i = 5; i >= 0; i--) {
                sha.update((byte) (mac >>> (8 * i)));
            }
            sha.update((byte) counter);
            sha.update(secret);
            byte[] h = sha.digest();
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (h[i] & 0xff);
            }
            if (!isReserved(id)) {
                return id;
            }
        }
    }

    /**
     * RFC 5453 3: identifiers no address may use: the subnet-router anycast (all zero), the
     * reserved subnet anycasts (fdff:ffff:ffff:ff80 and up) and the proxy mobile range
     * (0200:5eff:fe00:0000 to 0200:5eff:feff:ffff).
     */
    static boolean isReserved(long id) {
        return id == 0 || Long.compareUnsigned(id, 0xfdff_ffff_ffff_ff80L) >= 0
            || (id >>> 24) == 0x0200_5eff_feL;
    }
}
