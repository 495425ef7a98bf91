package dev.chatlab.sim.random;

/** SplitMix64's finaliser and a string hash that is the same on every JVM (it reads UTF-16 code units). */
final class SplitMix {

    private SplitMix() {
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the string's chars, then mixed: stable across JVMs, unlike identity hashes. */
    static long hash(String s) {
        long h = 0xCBF2_9CE4_8422_2325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x0000_0100_0000_01B3L;
        }
        return mix(h ^ s.length());
    }
}
