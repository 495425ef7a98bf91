package dev.chatlab.reference.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A token speaks for its subject only until it expires, so a token that never expires is refused. */
class TokensTest {

    static final String SECRET = "test-secret-of-some-length";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close();
    }

    /** Signed with the right secret, but with no exp claim: what a careless issuer mints. */
    private String tokenWithoutExpiry(String user) {
        JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
        return auth.generateToken(new JsonObject().put("sub", user), new JWTOptions().setAlgorithm("HS256"));
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldRefuseATokenWithoutExpiryUnlessTheNodeAllowsIt() throws Exception {
        String token = tokenWithoutExpiry("alice");
        assertThat(new Tokens(vertx, SECRET).subjectOf(token).toCompletionStage().toCompletableFuture())
                .failsWithin(10, TimeUnit.SECONDS);
        assertThat(await(new Tokens(vertx, SECRET, true).subjectOf(token))).isEqualTo("alice");
        assertThat(await(new Tokens(vertx, SECRET).subjectOf(new Tokens(vertx, SECRET).issue("alice", 60)))).isEqualTo("alice");
    }

    @Test
    void shouldRefuseToIssueATokenThatNeverOrAlreadyExpired() {
        Tokens tokens = new Tokens(vertx, SECRET);
        assertThatThrownBy(() -> tokens.issue("alice", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> tokens.issue("alice", -5)).isInstanceOf(IllegalArgumentException.class);
    }
}
