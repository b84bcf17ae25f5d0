package io.agentnexus.platform.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.agent.Agent;
import io.agentnexus.agent.AgentCategory;
import io.agentnexus.agent.AgentStatus;
import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.user.User;
import io.agentnexus.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The demo catalog of dev mode (agentnexus.dev.demo-data, on only in the dev profile): a creator (the dev
 * admin wallet) and the agents of src/main/docker/demo-agents, whose images are built locally at start-up
 * so that every demo agent really runs. Safe to run at every start: existing demo agents are updated.
 */
@ApplicationScoped
class DemoData {

    static final String BASE_IMAGE = "agentnexus/demo-busybox:1.0.0";
    private static final Logger LOG = Logger.getLogger(DemoData.class);

    /** One demo agent's folder: its catalog entry (agent.json) and its program (agent.sh). */
    record DemoAgent(String name, AgentCategory category, String description, String price,
            Map<String, Object> inputSchema, Map<String, Object> outputSchema, Map<String, Object> exampleInput) {
    }

    private final UserService users;
    private final ContainerRuntime runtime;
    private final ObjectMapper json;
    private final Clock clock;
    private final String adminAddress;
    private final Path agentsDir;
    private final boolean enabled;

    DemoData(UserService users, ContainerRuntime runtime, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "agentnexus.dev.admin-address") String adminAddress,
            @ConfigProperty(name = "agentnexus.dev.demo-agents-dir") Path agentsDir,
            @ConfigProperty(name = "agentnexus.dev.demo-data", defaultValue = "false") boolean enabled) {
        this.users = users;
        this.runtime = runtime;
        this.json = json;
        this.clock = clock;
        this.adminAddress = adminAddress;
        this.agentsDir = agentsDir;
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent startup) {
        if (enabled) {
            seed();
        }
    }

    /** Builds the demo images (a warning, not a failure, without Docker) and writes the catalog entries. */
    void seed() {
        List<Path> folders = folders();
        try {
            ScriptAgentImages.buildBase(runtime, BASE_IMAGE);
            for (Path folder : folders) {
                ScriptAgentImages.buildScriptAgent(runtime, BASE_IMAGE, image(folder),
                        Files.readString(folder.resolve("agent.sh")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            LOG.warnf("demo agent images not built, so demo runs will fail until a restart with Docker running: %s",
                    e.getMessage());
        }
        QuarkusTransaction.requiringNew().run(() -> writeCatalog(folders));
    }

    private void writeCatalog(List<Path> folders) {
        User creator = User.findById(users.grantCreator(adminAddress).id());
        for (Path folder : folders) {
            DemoAgent demo = read(folder);
            Agent agent = Agent.<Agent>find("name = ?1 and creator = ?2", demo.name(), creator).firstResultOptional()
                    .orElseGet(Agent::new);
            if (agent.id == null) {
                agent.createdAt = clock.instant();
                agent.creator = creator;
                agent.name = demo.name();
            }
            agent.description = demo.description();
            agent.category = demo.category();
            agent.status = AgentStatus.ACTIVE;
            agent.price = new BigInteger(demo.price());
            agent.priceToken = "0x0000000000000000000000000000000000000000";
            agent.version = "1.0.0";
            agent.dockerImage = image(folder);
            agent.inputSchema = demo.inputSchema();
            agent.outputSchema = demo.outputSchema();
            agent.updatedAt = clock.instant();
            agent.persist();
        }
        LOG.infof("demo data: dev admin %s, %d demo agents from %s", adminAddress, folders.size(), agentsDir);
    }

    List<Path> folders() {
        try (Stream<Path> entries = Files.list(agentsDir)) {
            return entries.filter(p -> Files.isRegularFile(p.resolve("agent.json"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the demo agents folder " + agentsDir.toAbsolutePath() + " cannot be read", e);
        }
    }

    DemoAgent read(Path folder) {
        try {
            return json.readValue(folder.resolve("agent.json").toFile(), DemoAgent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String image(Path folder) {
        return "agentnexus/" + folder.getFileName() + ":1.0.0";
    }
}
