package io.agentnexus.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A wallet that has signed in (or been made a creator by an admin). */
@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

    @Id
    @GeneratedValue
    public UUID id;

    /** Lowercase 0x-hex; {@link Wallet#checksummed} gives the EIP-55 form for output. */
    public String walletAddress;

    public String walletType;

    public String username;

    public String email;

    /** Stored roles; ADMIN is never stored, it comes from configuration. */
    @ElementCollection
    @CollectionTable(name = "user_roles", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role")
    @Enumerated(EnumType.STRING)
    public Set<Role> roles = EnumSet.of(Role.USER);

    public Instant createdAt;

    public Instant updatedAt;

    public Instant lastSignInAt;

    public static Optional<User> findByWallet(String address) {
        return find("walletAddress", Wallet.normalize(address)).firstResultOptional();
    }

    public static boolean usernameTaken(String username, UUID exceptId) {
        return count("lower(username) = lower(?1) and id <> ?2", username, exceptId) > 0;
    }

    public static boolean emailTaken(String email, UUID exceptId) {
        return count("lower(email) = lower(?1) and id <> ?2", email, exceptId) > 0;
    }
}
