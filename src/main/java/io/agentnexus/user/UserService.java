package io.agentnexus.user;

import io.agentnexus.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Users: created by their first sign-in, their profile, and the roles they hold. */
@ApplicationScoped
public class UserService {

    private final AuthConfig auth;
    private final EntityManager em;
    private final Clock clock;

    UserService(AuthConfig auth, EntityManager em, Clock clock) {
        this.auth = auth;
        this.em = em;
        this.clock = clock;
    }

    /** Creates the user on first sign-in (safe when two sign-ins race) and stamps the sign-in. */
    @Transactional
    public UserView recordSignIn(String address) {
        User user = ensure(address);
        user.lastSignInAt = clock.instant();
        return view(user);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public UserView profile(UUID id) {
        return view(require(id));
    }

    @Transactional
    public UserView updateProfile(UUID id, ProfileUpdate update) {
        User user = require(id);
        if (update.username() != null && User.usernameTaken(update.username(), id)) {
            throw ApiException.conflict("the username '" + update.username() + "' is taken");
        }
        if (update.email() != null && User.emailTaken(update.email(), id)) {
            throw ApiException.conflict("the email address is already used by another account");
        }
        user.username = update.username();
        user.email = update.email();
        user.updatedAt = clock.instant();
        return view(user);
    }

    /** Grants the creator role to a wallet, creating its user if it never signed in. Idempotent. */
    @Transactional
    public UserView grantCreator(String address) {
        User user = ensure(address);
        if (user.roles.add(Role.CREATOR)) {
            user.updatedAt = clock.instant();
        }
        return view(user);
    }

    @Transactional
    public UserView revokeCreator(String address) {
        User user = User.findByWallet(address).orElseThrow(() -> ApiException.notFound("User", address));
        if (user.roles.remove(Role.CREATOR)) {
            user.updatedAt = clock.instant();
        }
        return view(user);
    }

    /** The roles a user holds now (empty if the user is gone), admins included: read on every request. */
    @ActivateRequestContext // called by the security layer, outside any request scope
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Set<Role>> currentRoles(UUID id) {
        return Optional.ofNullable(User.<User>findById(id)).map(this::effectiveRoles);
    }

    private User ensure(String address) {
        String wallet = Wallet.normalize(address);
        Instant now = clock.instant();
        // ON CONFLICT: two first sign-ins of one wallet must not fail one another.
        em.createNativeQuery("""
                INSERT INTO users (id, wallet_address, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
                ON CONFLICT (wallet_address) DO NOTHING""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, wallet).setParameter(3, now)
                .executeUpdate();
        em.createNativeQuery("""
                INSERT INTO user_roles (user_id, role) SELECT id, 'USER' FROM users WHERE wallet_address = ?1
                ON CONFLICT DO NOTHING""")
                .setParameter(1, wallet).executeUpdate();
        return User.findByWallet(wallet).orElseThrow();
    }

    private User require(UUID id) {
        User user = User.findById(id);
        if (user == null) {
            throw ApiException.notFound("User", id);
        }
        return user;
    }

    private Set<Role> effectiveRoles(User user) {
        Set<Role> roles = EnumSet.copyOf(user.roles);
        if (auth.isAdmin(user.walletAddress)) {
            roles.add(Role.ADMIN);
        }
        return roles;
    }

    UserView view(User user) {
        return new UserView(user.id, Wallet.checksummed(user.walletAddress), user.username, user.email,
                effectiveRoles(user).stream().sorted(Comparator.naturalOrder()).map(Role::group).toList(),
                user.createdAt);
    }
}
