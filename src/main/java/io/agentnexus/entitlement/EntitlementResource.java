package io.agentnexus.entitlement;

import io.agentnexus.platform.security.Caller;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import io.agentnexus.platform.web.PageRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/users/me/entitlements")
@Tag(name = "Users")
@Authenticated
public class EntitlementResource {

    private final EntitlementService entitlements;
    private final Caller caller;

    EntitlementResource(EntitlementService entitlements, Caller caller) {
        this.entitlements = entitlements;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The agents the signed-in user may run: current (unexpired, unrevoked) entitlements")
    public EntitlementList mine(@Valid @BeanParam PageRequest page) {
        return entitlements.current(caller.requireUserId(), page.page, page.size);
    }
}
