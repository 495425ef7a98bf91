package dev.chatlab.stores;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.chatlab.stores.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store left by older code kept each chat's head in a {@code last_seq} column; the current code
 * works the head out from the messages. Opening such a store must drop the column (new rows would
 * not fill it) and keep every chat where it was.
 */
class PostgresSchemaUpgradeTest {

    @Test
    void shouldOpenAStoreThatKeptTheHeadInTheChatsRow() {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0)) {
            Pool raw = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(postgres.url())).using(vertx).build();
            await(raw.query("""
                    CREATE TABLE chats (chat text COLLATE "C" PRIMARY KEY, epoch bigint NOT NULL, last_seq bigint NOT NULL);
                    CREATE TABLE messages (chat text COLLATE "C" NOT NULL, seq bigint NOT NULL, sender text COLLATE "C" NOT NULL,
                      sender_device text NOT NULL, cmid text COLLATE "C" NOT NULL, body text NOT NULL,
                      PRIMARY KEY (chat, seq), UNIQUE (chat, sender, cmid));
                    CREATE TABLE members (chat text COLLATE "C" NOT NULL, user_id text COLLATE "C" NOT NULL, state text NOT NULL,
                      PRIMARY KEY (chat, user_id));
                    CREATE TABLE watermarks (chat text COLLATE "C" NOT NULL, user_id text COLLATE "C" NOT NULL, kind text NOT NULL,
                      seq bigint NOT NULL, PRIMARY KEY (chat, user_id, kind));
                    INSERT INTO chats VALUES ('old', 2, 7);
                    INSERT INTO messages VALUES ('old', 7, 'alice', 'd1', 'm7', 'hi');
                    INSERT INTO members VALUES ('old', 'alice', 'MEMBER');
                    """).execute());
            raw.close();

            PostgresChatStore store = PostgresChatStore.connect(vertx, postgres.url(), 2);
            await(store.createSchema());
            StoreResult.Claimed claimed = (StoreResult.Claimed) await(store.apply(new StoreOp.Claim("old", "n1")));
            assertThat(claimed.epoch()).isEqualTo(3);
            assertThat(claimed.lastSeq()).isEqualTo(7);
            StoreResult appended = await(store.apply(new StoreOp.Append("new", 0,
                    List.of(new StoreOp.NewMessage(0, "bob", "d1", "n1", "first")))));
            assertThat(appended).isInstanceOf(StoreResult.Appended.class);
            assertThat(((StoreResult.Appended) appended).outcomes()).containsExactly(new StoreResult.Outcome(1, false));
            StoreResult.Chats chats = (StoreResult.Chats) await(store.apply(new StoreOp.ChatsOf("alice")));
            assertThat(chats.heads()).containsExactly(new StoreResult.ChatHead("old", 7));
            store.close();
        } finally {
            vertx.close();
        }
    }
}
