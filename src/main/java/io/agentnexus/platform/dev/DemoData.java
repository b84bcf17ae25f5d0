package io.agentnexus.platform.dev;

import io.agentnexus.agent.Agent;
import io.agentnexus.agent.AgentCategory;
import io.agentnexus.agent.AgentStatus;
import io.agentnexus.user.User;
import io.agentnexus.user.UserService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A creator (the dev admin wallet) and a few agents to browse, seeded at start-up when
 * agentnexus.dev.demo-data is on (only in the dev profile). Safe to run at every start.
 */
@ApplicationScoped
class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    private record Demo(String name, AgentCategory category, String description, String priceWei) {
    }

    private static final List<Demo> AGENTS = List.of(
            new Demo("Echo", AgentCategory.UTILITY,
                    "Returns its input unchanged: the smallest agent, handy for trying the platform.", "0"),
            new Demo("Gas Oracle", AgentCategory.ANALYTICS,
                    "Summarises recent base fees and suggests a priority fee for a target inclusion time.",
                    "1000000000000000"),
            new Demo("DCA Planner", AgentCategory.TRADING,
                    "Plans a dollar-cost-averaging schedule for a token from a budget and a horizon.",
                    "5000000000000000"),
            new Demo("Pool Watcher", AgentCategory.DEFI,
                    "Reports liquidity and fee changes of a Uniswap v3 pool between two blocks.",
                    "2500000000000000"));

    private static final Map<String, Object> INPUT_SCHEMA = Map.of(
            "type", "object", "properties", Map.of("message", Map.of("type", "string")));
    private static final Map<String, Object> OUTPUT_SCHEMA = Map.of("type", "object");

    private final UserService users;
    private final Clock clock;
    private final String adminAddress;
    private final boolean enabled;

    DemoData(UserService users, Clock clock,
            @ConfigProperty(name = "agentnexus.dev.admin-address") String adminAddress,
            @ConfigProperty(name = "agentnexus.dev.demo-data", defaultValue = "false") boolean enabled) {
        this.users = users;
        this.clock = clock;
        this.adminAddress = adminAddress;
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent startup) {
        if (enabled) {
            seed();
        }
    }

    @Transactional
    void seed() {
        User creator = User.findById(users.grantCreator(adminAddress).id());
        int added = 0;
        for (Demo demo : AGENTS) {
            if (Agent.count("name = ?1 and creator = ?2", demo.name(), creator) > 0) {
                continue;
            }
            Agent agent = new Agent();
            agent.name = demo.name();
            agent.description = demo.description();
            agent.category = demo.category();
            agent.status = AgentStatus.ACTIVE;
            agent.price = new BigInteger(demo.priceWei());
            agent.priceToken = "0x0000000000000000000000000000000000000000";
            agent.version = "1.0.0";
            agent.dockerImage = "agentnexus/" + demo.name().toLowerCase().replace(' ', '-') + ":1.0.0";
            agent.inputSchema = INPUT_SCHEMA;
            agent.outputSchema = OUTPUT_SCHEMA;
            agent.creator = creator;
            agent.createdAt = clock.instant();
            agent.updatedAt = agent.createdAt;
            agent.persist();
            added++;
        }
        LOG.infof("demo data: dev admin %s, %d demo agents added", adminAddress, added);
    }
}
