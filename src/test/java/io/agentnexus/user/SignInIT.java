package io.agentnexus.user;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same specification, run against the packaged application (target/quarkus-app). */
@QuarkusIntegrationTest
class SignInIT extends SignInTest {
}
