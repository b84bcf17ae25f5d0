package io.agentnexus.chain;

import io.agentnexus.platform.error.DependencyUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Sends the operator account's transactions one at a time across every replica that shares its key:
 * two senders reading the same pending nonce would replace or reject each other's transactions. The
 * lock is a PostgreSQL session-level advisory lock, held on a dedicated connection from the send
 * until the receipt is in; if a replica dies while holding it, PostgreSQL drops it with the
 * connection. Inside one replica a local lock queues threads first, so waiters hold no connection.
 */
@ApplicationScoped
class OperatorTransactions {

    private static final Logger LOG = Logger.getLogger(OperatorTransactions.class);
    /** Longer than web3j's receipt wait (60 s), so only a stuck holder makes a sender give up. */
    private static final String LOCK_TIMEOUT = "SET lock_timeout = '90s'";
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final DataSource dataSource;
    private final long lockKey;
    private final ReentrantLock local = new ReentrantLock(true);

    OperatorTransactions(DataSource dataSource, ChainConfig config) {
        this.dataSource = dataSource;
        // One lock per operator account: the low 64 bits of its address.
        this.lockKey = Numeric.toBigInt(Credentials.create(config.operatorKey()).getAddress()).longValue();
    }

    /** Runs {@code work} (read the nonce, send, wait for the receipt) while no other sender of this key runs. */
    <T> T serialised(Supplier<T> work) {
        local.lock();
        try (Connection connection = connection()) {
            acquire(connection);
            try {
                return work.get();
            } finally {
                release(connection);
            }
        } catch (SQLException e) {
            throw new DependencyUnavailableException("the database cannot be reached to order operator transactions",
                    e);
        } finally {
            local.unlock();
        }
    }

    private Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new DependencyUnavailableException("the database cannot be reached to order operator transactions",
                    e);
        }
    }

    private void acquire(Connection connection) throws SQLException {
        try (Statement timeout = connection.createStatement();
                PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
            timeout.execute(LOCK_TIMEOUT);
            lock.setLong(1, lockKey);
            lock.execute();
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new DependencyUnavailableException("another replica's operator transaction has held the"
                        + " lock for 90 s", e);
            }
            throw e;
        }
    }

    /** Unlocks; a connection that may still hold the lock must never go back to the pool. */
    private void release(Connection connection) {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)");
                Statement timeout = connection.createStatement()) {
            unlock.setLong(1, lockKey);
            unlock.execute();
            timeout.execute("RESET lock_timeout");
        } catch (SQLException e) {
            LOG.warnf("could not release the operator lock (%s); dropping its connection", e.getMessage());
            try {
                connection.abort(Runnable::run);
            } catch (SQLException ignored) {
                // The server ends the session, and with it the lock, when the connection goes.
            }
        }
    }
}
