package dev.chatlab.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A fake world that records what was done to it, and refuses what a real one would. */
final class RecordingTarget implements ChaosTarget {

    final List<String> log = new ArrayList<>();
    final Set<String> down = new TreeSet<>();
    boolean quiesced;
    private long handles;
    private final Set<Long> cuts = new TreeSet<>();

    @Override
    public boolean kill(String node) {
        log.add("kill " + node);
        return down.add(node);
    }

    @Override
    public boolean restart(String node) {
        log.add("restart " + node);
        return down.remove(node);
    }

    @Override
    public long partition(List<List<String>> sides) {
        log.add("partition " + sides);
        cuts.add(++handles);
        return handles;
    }

    @Override
    public long cutOneWay(List<String> from, List<String> to) {
        log.add("cut " + from + "->" + to);
        cuts.add(++handles);
        return handles;
    }

    @Override
    public boolean heal(long handle) {
        log.add("heal " + handle);
        return cuts.remove(handle);
    }

    @Override
    public boolean healAll() {
        log.add("heal all");
        boolean any = !cuts.isEmpty();
        cuts.clear();
        return any;
    }

    @Override
    public long spikeLatency(List<String> nodes, long extraMicros) {
        log.add("spike " + nodes + " " + extraMicros);
        return ++handles;
    }

    @Override
    public boolean endSpike(long handle) {
        log.add("end spike " + handle);
        return true;
    }

    @Override
    public boolean skewClock(String node, long offsetMicros) {
        log.add("skew " + node + " " + offsetMicros);
        return true;
    }

    @Override
    public boolean slowDisk(double factor) {
        log.add("slow disk " + factor);
        return true;
    }

    @Override
    public boolean restoreDisk() {
        log.add("restore disk");
        return true;
    }

    @Override
    public boolean massDisconnect(String node) {
        log.add("disconnect " + node);
        return !down.contains(node);
    }

    @Override
    public boolean quiesced() {
        return quiesced;
    }
}
