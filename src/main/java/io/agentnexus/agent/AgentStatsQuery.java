package io.agentnexus.agent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.UUID;

/** Agent usage figures, aggregated by PostgreSQL in one round trip. */
@ApplicationScoped
class AgentStatsQuery {

    private static final String SQL = """
            WITH runs AS (
                SELECT count(*)                                                    AS total,
                       count(*) FILTER (WHERE status = 'SUCCEEDED')                AS succeeded,
                       count(*) FILTER (WHERE status IN ('FAILED', 'TIMED_OUT'))   AS failed,
                       coalesce(avg(duration_ms), 0)                               AS avg_ms,
                       coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms), 0) AS p95_ms
                FROM executions WHERE agent_id = ?1
            ), paid AS (
                SELECT count(*) AS purchases, coalesce(sum(amount), 0) AS revenue
                FROM purchases WHERE agent_id = ?1 AND status IN ('CONFIRMED', 'RELEASED')
            ), users AS (
                SELECT count(*) AS unique_users FROM (
                    SELECT user_id FROM executions WHERE agent_id = ?1
                    UNION
                    SELECT user_id FROM purchases WHERE agent_id = ?1 AND status IN ('CONFIRMED', 'RELEASED')
                ) u
            )
            SELECT runs.total, runs.succeeded, runs.failed, runs.avg_ms, runs.p95_ms,
                   paid.purchases, paid.revenue, users.unique_users
            FROM runs, paid, users""";

    private final EntityManager em;

    AgentStatsQuery(EntityManager em) {
        this.em = em;
    }

    AgentStats of(UUID agentId) {
        Object[] row = (Object[]) em.createNativeQuery(SQL).setParameter(1, agentId).getSingleResult();
        long succeeded = number(row[1]).longValue();
        long failed = number(row[2]).longValue();
        double successRate = succeeded + failed == 0 ? 0 : (double) succeeded / (succeeded + failed);
        return new AgentStats(number(row[0]).longValue(), succeeded, failed, successRate,
                Math.round(number(row[3]).doubleValue()), Math.round(number(row[4]).doubleValue()),
                number(row[5]).longValue(), new BigDecimal(row[6].toString()).toBigInteger().toString(),
                number(row[7]).longValue());
    }

    private static Number number(Object value) {
        return (Number) value;
    }
}
