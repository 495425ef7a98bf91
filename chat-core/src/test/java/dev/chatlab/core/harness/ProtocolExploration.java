package dev.chatlab.core.harness;

import dev.chatlab.core.server.ServerConfig;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.core.strategy.Routing;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.List;

/**
 * {@link ProtocolProperties} from fresh random seeds, for hunting rare interleavings. Not part of
 * {@code mvn verify} (its name matches no surefire include); run it on purpose:
 * {@code mvn -pl chat-core -am test -Dtest=ProtocolExploration -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries=10000}.
 * A failure prints the seed and the shrunk script to replay.
 */
class ProtocolExploration extends ProtocolProperties {

    @Property
    void exploreAllStrongStrategyMixes(@ForAll("scripts") List<Timed> script, @ForAll("seeds") long seed,
                                       @ForAll boolean pubsub, @ForAll boolean hybrid, @ForAll boolean pinned) {
        ServerConfig config = ServerConfig.defaults()
                .withFanOut(hybrid ? FanOut.hybrid(2) : FanOut.push())
                .withRouting(pubsub ? Routing.PUBSUB : Routing.DIRECT)
                .withOwnership(pinned ? Ownership.pinnedHome(List.of(NODES)) : Ownership.followMembership());
        assertInvariantsHold(config, script, seed);
    }
}
