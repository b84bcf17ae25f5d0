package io.agentnexus.user;

/** What a signed-in wallet may do. The JWT "groups" carry {@link #group()}. */
public enum Role {
    USER, CREATOR, ADMIN;

    public static final String USER_GROUP = "user";
    public static final String CREATOR_GROUP = "creator";
    public static final String ADMIN_GROUP = "admin";

    public String group() {
        return name().toLowerCase();
    }
}
