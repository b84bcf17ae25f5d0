package io.agentnexus.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.agentnexus.support.Concurrently;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Replicas share one operator key and one database: their transactions must never collide on a nonce. */
@QuarkusTest
class OperatorTransactionsTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ChainConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @Test
    void twoReplicasSendingAtOnceEachGetTheirTransactionsMined() throws Exception {
        // Two chain clients as two replicas would have them: nothing shared but the database.
        List<Web3jChain> replicas = List.of(replica(), replica());
        String wallet = TestWallet.random().address();
        long agentId = 1_000_000 + RANDOM.nextInt(1_000_000);
        int perReplica = 4;

        try {
            List<String> mints = Concurrently.together(replicas.size() * perReplica,
                    i -> replicas.get(i / perReplica).mintForPayment(randomPaymentId(), wallet, agentId),
                    Duration.ofMinutes(2));
            mints.forEach(mint -> assertNotNull(mint, "each payment's mint was sent and mined"));
        } finally {
            replicas.forEach(Web3jChain::close);
        }
        assertEquals(BigInteger.valueOf(replicas.size() * perReplica), TestChain.balanceOf(wallet, agentId));
    }

    @Test
    void aPaymentMintsOnceAndItsBurnIsIdempotent() {
        Web3jChain chain = replica();
        String wallet = TestWallet.random().address();
        long agentId = 2_000_000 + RANDOM.nextInt(1_000_000);
        String paymentId = randomPaymentId();

        String mint = chain.mintForPayment(paymentId, wallet, agentId);
        assertNotNull(mint);
        assertEquals(mint, chain.mintForPayment(paymentId, wallet, agentId), "no second transaction: the first one's hash");
        assertEquals(BigInteger.ONE, TestChain.balanceOf(wallet, agentId));
        chain.burnForPayment(paymentId);
        chain.burnForPayment(paymentId);
        assertEquals(BigInteger.ZERO, TestChain.balanceOf(wallet, agentId));
        assertEquals(mint, chain.mintForPayment(paymentId, wallet, agentId), "a refunded payment never mints again");
        assertEquals(BigInteger.ZERO, TestChain.balanceOf(wallet, agentId));
        chain.close();
    }

    private Web3jChain replica() {
        return new Web3jChain(config, metrics, new OperatorTransactions(dataSource, config));
    }

    private static String randomPaymentId() {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        return "0x" + HexFormat.of().formatHex(id);
    }
}
