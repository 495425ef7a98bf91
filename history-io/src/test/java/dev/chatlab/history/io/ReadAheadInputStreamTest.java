package dev.chatlab.history.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadInputStreamTest {

    @Test
    void shouldGiveTheSourceBytesInOrderWhateverTheirLength() throws IOException {
        int chunk = ReadAheadInputStream.CHUNK_BYTES;
        for (int size : new int[] {0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 17, (ReadAheadInputStream.CHUNKS_AHEAD_MAX + 3) * chunk}) {
            byte[] source = new byte[size];
            new SplittableRandom(size).nextBytes(source);
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(source))) {
                byte[] buffer = new byte[7919];
                for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
                    copy.write(buffer, 0, n);
                }
                assertThat(in.read()).isEqualTo(-1);
            }
            assertThat(copy.toByteArray()).as("size %d", size).isEqualTo(source);
        }
    }

    @Test
    void shouldThrowTheSourceErrorWhereTheReadReachesIt() throws IOException {
        InputStream failing = new InputStream() {
            private int left = ReadAheadInputStream.CHUNK_BYTES + 5;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("Corrupt GZIP trailer");
                }
                return 'x';
            }
        };
        try (InputStream in = new ReadAheadInputStream(failing)) {
            byte[] first = in.readNBytes(ReadAheadInputStream.CHUNK_BYTES);
            assertThat(first).hasSize(ReadAheadInputStream.CHUNK_BYTES);
            assertThatThrownBy(() -> in.read(new byte[10], 0, 10)).isInstanceOf(IOException.class)
                    .hasMessage("Corrupt GZIP trailer");
        }
    }
}
