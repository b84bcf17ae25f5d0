package io.agentnexus.agent;

import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.validation.Wei;
import io.agentnexus.platform.web.PageRequest;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** The catalog's query parameters: filters, sort and page. */
public class AgentSearch extends PageRequest {

    /** Sort orders; "popular" ranks by executions and paid purchases. */
    public enum Sort {
        NEWEST, PRICE_ASC, PRICE_DESC, POPULAR
    }

    @QueryParam("category")
    public String category;

    @QueryParam("status")
    public String status;

    @QueryParam("q")
    @Size(max = 100)
    public String q;

    @QueryParam("creator")
    @Pattern(regexp = "^[0-9a-fA-F-]{36}$", message = "must be a user id (UUID)")
    public String creator;

    @QueryParam("minPrice")
    @Wei
    public String minPrice;

    @QueryParam("maxPrice")
    @Wei
    public String maxPrice;

    @QueryParam("sort")
    @DefaultValue("newest")
    public String sort;

    Optional<AgentCategory> category() {
        return Optional.ofNullable(category).map(v -> parse(AgentCategory.class, "category", v));
    }

    /** ACTIVE unless asked otherwise. */
    AgentStatus status() {
        return status == null ? AgentStatus.ACTIVE : parse(AgentStatus.class, "status", status);
    }

    Sort sort() {
        return parse(Sort.class, "sort", sort);
    }

    Optional<UUID> creator() {
        try {
            return Optional.ofNullable(creator).map(UUID::fromString);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("creator", "must be a user id (UUID)");
        }
    }

    Optional<BigInteger> minPrice() {
        return Optional.ofNullable(minPrice).map(BigInteger::new);
    }

    Optional<BigInteger> maxPrice() {
        return Optional.ofNullable(maxPrice).map(BigInteger::new);
    }

    Optional<String> text() {
        return Optional.ofNullable(q).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A stable text form of the whole query, for cache keys. */
    String canonical() {
        return String.join("|", category().map(Enum::name).orElse(""), status().name(), text().orElse(""),
                creator().map(UUID::toString).orElse(""), minPrice().map(String::valueOf).orElse(""),
                maxPrice().map(String::valueOf).orElse(""), sort().name(), Integer.toString(page),
                Integer.toString(size));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField(field, "must be one of " + Arrays.toString(type.getEnumConstants())
                    .toLowerCase(Locale.ROOT));
        }
    }
}
