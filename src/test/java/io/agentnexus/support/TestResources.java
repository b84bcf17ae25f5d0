package io.agentnexus.support;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Declares the embedded servers once for every test class (global scope: one start per run). */
@WithTestResource(value = EmbeddedServersResource.class, scope = TestResourceScope.GLOBAL)
public final class TestResources {

    private TestResources() {
    }
}
