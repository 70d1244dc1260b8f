package org.tcpip4j.netif.impair;

import java.util.random.RandomGenerator;

/**
 * The state of a Gilbert-Elliott loss channel ({@link Impairment.BurstLoss}): each frame is
 * lost with the current state's probability, then the chain takes one step. Loop only.
 */
final class GilbertElliottChannel {

    private final Impairment.BurstLoss model;
    private boolean bad;

    GilbertElliottChannel(Impairment.BurstLoss model) {
        this.model = model;
    }

    /** Decides the fate of the next frame: true when it is lost. */
    boolean nextLost(RandomGenerator random) {
        double lossRate = bad ? model.lossInBad() : model.lossInGood();
        boolean lost = lossRate > 0 && (lossRate >= 1 || random.nextDouble() < lossRate);
        if (bad) {
            bad = random.nextDouble() >= model.badToGood();
        } else {
            bad = random.nextDouble() < model.goodToBad();
        }
        return lost;
    }
}
