package dev.chatlab.reference.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * JSON Web Tokens signed with HS256 and a secret shared by the nodes and whoever issues tokens
 * (the fleet, {@code chatlab cluster token}, tests). A token's subject is the user it speaks for;
 * a node accepts a {@code hello} only for that user.
 *
 * <pre>{@code
 * Tokens tokens = new Tokens(vertx, "a-shared-secret");
 * String token = tokens.issue("alice", 3600);
 * tokens.subjectOf(token).onSuccess(user -> ...);     // "alice"; fails if forged or expired
 * }</pre>
 */
public final class Tokens {

    private final JWTAuth auth;
    private final boolean acceptWithoutExpiry;

    /** Tokens that must carry an expiry ({@code exp}). */
    public Tokens(Vertx vertx, String secret) {
        this(vertx, secret, false);
    }

    /**
     * @param acceptWithoutExpiry whether a token without {@code exp} is accepted (tests only: such a
     *                            token would speak for its user forever, and nothing can revoke it)
     */
    public Tokens(Vertx vertx, String secret, boolean acceptWithoutExpiry) {
        this.acceptWithoutExpiry = acceptWithoutExpiry;
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the JWT secret must have at least 16 characters");
        }
        this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    }

    /** A token without a Vert.x instance at hand (the CLI): starts one, issues, closes it. */
    public static String issueWithSecret(String secret, String user, long ttlSeconds) {
        Vertx vertx = Vertx.vertx();
        try {
            return new Tokens(vertx, secret).issue(user, ttlSeconds);
        } finally {
            vertx.close();
        }
    }

    /** A token for {@code user} valid for {@code ttlSeconds}, which must be positive (0 would mean "never expires"). */
    public String issue(String user, long ttlSeconds) {
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("a token's ttl must be at least 1 second, got " + ttlSeconds);
        }
        return auth.generateToken(new JsonObject().put("sub", user),
                new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, ttlSeconds)));
    }

    /** A token whose expiry is {@code expiresAtEpochSeconds}, past or future (tests issue expired ones). */
    public String issueExpiringAt(String user, long expiresAtEpochSeconds) {
        return auth.generateToken(new JsonObject().put("sub", user).put("exp", expiresAtEpochSeconds),
                new JWTOptions().setAlgorithm("HS256"));
    }

    /** The user a valid token speaks for; a failed future for a forged, expired or malformed token, or one without expiry. */
    public Future<String> subjectOf(String token) {
        if (token == null || token.isEmpty()) {
            return Future.failedFuture("no token");
        }
        return auth.authenticate(new TokenCredentials(token)).compose(user -> {
            // The JWT provider copies a token's exp (when it has one) to the user's attributes.
            if (!acceptWithoutExpiry && !(user.attributes().getValue("exp") instanceof Number)) {
                return Future.failedFuture("the token has no expiry (exp)");
            }
            String subject = user.principal().getString("sub");
            return subject == null || subject.isEmpty()
                    ? Future.failedFuture("the token names no subject")
                    : Future.succeededFuture(subject);
        });
    }
}
