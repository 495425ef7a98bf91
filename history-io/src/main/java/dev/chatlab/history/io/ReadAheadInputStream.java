package dev.chatlab.history.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on a thread of its own, a few chunks ahead of its consumer. A gzipped history
 * costs about as much to inflate as to check, so the reader inflates on this second thread while
 * the consumer parses and judges on its own. Bounded: at most {@link #CHUNKS_AHEAD_MAX} chunks of
 * {@link #CHUNK_BYTES} wait. An I/O error of the source is thrown by the read that reaches it.
 *
 * <pre>{@code
 * try (InputStream in = new ReadAheadInputStream(new GZIPInputStream(Files.newInputStream(path)))) {
 *     int n = in.read(buffer, 0, buffer.length);
 * }
 * }</pre>
 */
final class ReadAheadInputStream extends InputStream {

    static final int CHUNK_BYTES = 1 << 18;
    static final int CHUNKS_AHEAD_MAX = 4;

    /** A piece of the source; length -1 marks its end, error its failure. */
    private record Chunk(byte[] bytes, int length, IOException error) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1, null);

    private final BlockingQueue<Chunk> ready = new ArrayBlockingQueue<>(CHUNKS_AHEAD_MAX);
    private final Thread reader;
    private Chunk current;
    private int position;

    ReadAheadInputStream(InputStream source) {
        reader = new Thread(() -> readAhead(source), "history-read-ahead");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead(InputStream source) {
        try (source) {
            while (true) {
                byte[] bytes = new byte[CHUNK_BYTES];
                int length = source.readNBytes(bytes, 0, CHUNK_BYTES);
                if (length > 0) {
                    ready.put(new Chunk(bytes, length, null));
                }
                if (length < CHUNK_BYTES) {
                    ready.put(END);
                    return;
                }
            }
        } catch (IOException e) {
            try {
                // put, not offer: with the queue full an offered error was dropped, and the
                // consumer, having drained the queue, waited for it forever (a truncated .gz hung).
                ready.put(new Chunk(null, -1, e));
            } catch (InterruptedException closed) {
                // Closed by the consumer: nobody is left to tell.
            }
        } catch (InterruptedException e) {
            // Closed by the consumer: stop reading.
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int from, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (current == null || (current.length >= 0 && position == current.length)) {
            try {
                current = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            position = 0;
            if (current.error != null) {
                Chunk failed = current;
                current = END;
                throw failed.error;
            }
        }
        if (current.length < 0) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current.bytes, position, into, from, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
