package io.agentnexus.entitlement;

import java.util.List;

public record EntitlementList(List<EntitlementView> entitlements, int page, int size, long total) {
}
