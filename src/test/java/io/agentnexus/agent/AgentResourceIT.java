package io.agentnexus.agent;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same specification, run against the packaged application (target/quarkus-app). */
@QuarkusIntegrationTest
class AgentResourceIT extends AgentResourceTest {
}
