package dev.chatlab.sim.random;

/**
 * One root seed, split into named, independent streams: the way every component of a run gets
 * its randomness. A stream depends only on the root seed and its name (and the names of the
 * namespaces above it), never on the order streams are created in, so adding a component or a
 * draw leaves every other component's numbers unchanged.
 *
 * <pre>{@code
 * RandomStreams random = RandomStreams.root(seed);
 * RandomStream network = random.stream("network");
 * RandomStream node3 = random.stream("node", 3);            // same as stream("node-3")
 * RandomStream users = random.child("workload").stream("users");
 * }</pre>
 *
 * <p>Asking twice for the same name gives two streams that produce the same sequence: hold on to
 * the stream a component draws from.
 */
public final class RandomStreams {

    private static final long STREAM_DOMAIN = 0x5354_5245_414D_0001L;
    private static final long CHILD_DOMAIN = 0x4348_494C_4400_0002L;

    private final long seed;
    private final String path;

    private RandomStreams(long seed, String path) {
        this.seed = seed;
        this.path = path;
    }

    public static RandomStreams root(long seed) {
        return new RandomStreams(seed, "");
    }

    /** The seed of this namespace: the run's seed for the root. */
    public long seed() {
        return seed;
    }

    /** Names from the root to this namespace, joined by '/'; empty for the root. */
    public String path() {
        return path;
    }

    public RandomStream stream(String name) {
        return new RandomStream(derive(name, STREAM_DOMAIN));
    }

    /** {@code stream(name + "-" + index)}: one stream per node, user or link. */
    public RandomStream stream(String name, int index) {
        return stream(name + "-" + index);
    }

    /** A namespace under this one, for a component that hands out streams of its own. */
    public RandomStreams child(String name) {
        return new RandomStreams(derive(name, CHILD_DOMAIN), path.isEmpty() ? name : path + "/" + name);
    }

    private long derive(String name, long domain) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a stream needs a non-empty name");
        }
        return SplitMix.mix(seed ^ SplitMix.mix(SplitMix.hash(name) + domain));
    }

    @Override
    public String toString() {
        return "RandomStreams[seed=" + seed + (path.isEmpty() ? "" : ", path=" + path) + "]";
    }
}
