package dev.chatlab.core.protocol;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Builds a valid instance of any frame record by reflection (tests only: the codec itself uses
 * none), so that a test can prove the codec handles every type {@link Frame} permits, including
 * types added after the codec was written.
 *
 * <pre>{@code
 * Frame sample = FrameSamples.sampleOf(Frame.Ack.class);   // Ack("x", "x", 1)
 * }</pre>
 */
final class FrameSamples {

    private FrameSamples() {
    }

    static Frame sampleOf(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = sampleValue(types[i]);
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            return (Frame) constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a sample " + type.getSimpleName(), e);
        }
    }

    private static Object sampleValue(Class<?> type) {
        if (type == String.class) {
            return "x";
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == List.class) {
            return List.of();
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        throw new IllegalArgumentException("no sample for a field of " + type);
    }
}
