package dev.chatlab.stores;

/**
 * Which Cassandra the store tests use, from {@code -Dchatlab.test.cassandra}: unset, each test class
 * that needs one starts its own (10-15 s each; about 70 s of the stores module's tests in all);
 * {@code cassandra://host:port/keyspace} names a running one; {@code off} leaves Cassandra out.
 */
final class CassandraTests {

    static final String PROPERTY = "chatlab.test.cassandra";

    private CassandraTests() {
    }

    static boolean enabled() {
        return !"off".equals(System.getProperty(PROPERTY));
    }

    /** A running Cassandra to test against, or null to start one. */
    static String address() {
        String named = System.getProperty(PROPERTY);
        return named == null || named.equals("off") ? null : named;
    }
}
