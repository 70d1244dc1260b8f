package org.tcpip4j.ipv6.internal.nd;

/**
 * Why an ICMPv6 message of Neighbor Discovery or MLD is dropped before it is processed
 * (RFC 4861 6.1.1, 6.1.2, 7.1.1, 7.1.2, 8.1; RFC 3810 5, 6.2); each reason names its counter.
 * Every one of them is also counted in {@code rx.nd_invalid}.
 */
public enum NdRejection implements NdParseResult {

    /** A Neighbor Discovery message whose hop limit is not 255: it crossed a router. */
    HOP_LIMIT("rx.nd_invalid.hop_limit"),
    /** A code other than 0. */
    CODE("rx.nd_invalid.code"),
    /** Shorter than the message's fixed part. */
    TOO_SHORT("rx.nd_invalid.too_short"),
    /** An option of length 0, or one that runs past the end of the message. */
    OPTION_LENGTH("rx.nd_invalid.option_length"),
    /** A link-layer address option whose length is not Ethernet's (RFC 2464 8: one unit of 8 bytes). */
    LINK_LAYER_OPTION("rx.nd_invalid.link_layer_option"),
    /** A multicast target (solicitation, advertisement) or destination (redirect). */
    MULTICAST_TARGET("rx.nd_invalid.multicast_target"),
    /** A solicitation from the unspecified address to an address other than a solicited-node group. */
    UNSPECIFIED_NOT_SOLICITED_NODE("rx.nd_invalid.dad_destination"),
    /** A solicitation from the unspecified address with a source link-layer address option. */
    UNSPECIFIED_WITH_LLAO("rx.nd_invalid.dad_with_llao"),
    /** An advertisement to a multicast address with the solicited flag set. */
    SOLICITED_TO_MULTICAST("rx.nd_invalid.solicited_multicast"),
    /** A router advertisement, redirect or MLD query whose source is not link-local. */
    SOURCE_NOT_LINK_LOCAL("rx.nd_invalid.source_not_link_local"),
    /** A redirect whose target is neither link-local nor the destination. */
    REDIRECT_TARGET("rx.nd_invalid.redirect_target"),
    /** A redirect not from the router we use for its destination (RFC 4861 8.1). */
    REDIRECT_NOT_FROM_ROUTER("rx.nd_invalid.redirect_not_from_router"),
    /** An MLD message whose hop limit is not 1 (RFC 3810 6.2). */
    MLD_HOP_LIMIT("rx.nd_invalid.mld_hop_limit"),
    /** An MLD query of neither MLDv1's 24 bytes nor MLDv2's 28 or more (RFC 3810 8.1). */
    MLD_QUERY_LENGTH("rx.nd_invalid.mld_query_length"),
    /** An ICMPv6 type that is neither Neighbor Discovery nor MLD. */
    UNKNOWN_TYPE("rx.nd_invalid.type");

    private final String counterName;

    NdRejection(String counterName) {
        this.counterName = counterName;
    }

    /** The name of the layer counter that records this rejection. */
    public String counterName() {
        return counterName;
    }
}
