package io.agentnexus.user;

import io.agentnexus.platform.security.Caller;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/users/me")
@Tag(name = "Users")
@Authenticated
public class UserResource {

    private final UserService users;
    private final Caller caller;

    UserResource(UserService users, Caller caller) {
        this.users = users;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The signed-in user's profile")
    public UserView me() {
        return users.profile(caller.requireUserId());
    }

    @PUT
    @Operation(summary = "Replace the signed-in user's username and email (null clears a field)",
            description = "Usernames and emails are unique, case-insensitively: a taken one answers 409.")
    public UserView update(@NotNull @Valid ProfileUpdate update) {
        return users.updateProfile(caller.requireUserId(), update);
    }
}
