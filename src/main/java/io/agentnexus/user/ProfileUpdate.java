package io.agentnexus.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** PUT /api/users/me: the whole editable profile; a null field clears it. */
public record ProfileUpdate(
        @Pattern(regexp = "^[A-Za-z0-9_]{3,32}$", message = "must be 3 to 32 letters, digits or underscores")
        String username,
        @Email(message = "must be an email address") @Size(max = 254) String email) {
}
