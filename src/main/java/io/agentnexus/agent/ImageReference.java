package io.agentnexus.agent;

/**
 * The Docker image reference grammar (distribution/reference): [registry[:port]/]path[:tag][@digest],
 * with lowercase path components. Used as a Bean Validation pattern.
 */
final class ImageReference {

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]{1,5})?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    static final String PATTERN = "^" + NAME + "(?::" + TAG + ")?(?:@" + DIGEST + ")?$";
    static final String MESSAGE = "must be a Docker image reference such as registry.example.com/team/agent:1.2.0";

    private ImageReference() {
    }
}
