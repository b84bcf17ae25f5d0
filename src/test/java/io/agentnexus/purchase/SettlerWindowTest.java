package io.agentnexus.purchase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettlerWindowTest {

    private static final long THIRTY_DAYS = Duration.ofDays(30).toSeconds();

    @Test
    void aDisputeWindowShorterThanTheEscrowsRefundWindowIsAccepted() {
        assertEquals(Optional.empty(), Settler.windowProblem(Duration.ofHours(72), THIRTY_DAYS));
    }

    @Test
    void aDisputeWindowAsLongAsTheRefundWindowIsRefusedNamingTheVariable() {
        String problem = Settler.windowProblem(Duration.ofDays(30), THIRTY_DAYS).orElseThrow();
        assertTrue(problem.contains("AGENTNEXUS_PURCHASE_DISPUTE_WINDOW") && problem.contains("PT720H"), problem);
    }
}
