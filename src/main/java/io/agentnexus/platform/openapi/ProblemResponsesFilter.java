package io.agentnexus.platform.openapi;

import io.agentnexus.platform.error.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Documents the problem+json error responses every operation can give, from one place rather than
 * an annotation on every method: 400 for requests with input, 404 for paths with ids, 429 and 500.
 * Applied when the document is built, so that start-up does not filter it again.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {

    private static final String REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            boolean hasInput = operation.getRequestBody() != null
                    || (operation.getParameters() != null && !operation.getParameters().isEmpty());
            if (hasInput) {
                add(operation, "400", "Invalid input: the problem lists each invalid field");
            }
            if (path.contains("{")) {
                add(operation, "404", "Not found, or not visible to the caller");
            }
            if (operation.getResponses() != null) {
                operation.getResponses().getAPIResponses().keySet().stream()
                        .filter(code -> code.equals("401") || code.equals("403"))
                        .toList().forEach(code -> add(operation, code, ""));
            }
            add(operation, "429", "Rate limited: see Retry-After");
            add(operation, "500", "Unexpected error: quote the requestId");
        }));
    }

    private static void add(Operation operation, String status, String description) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponse response = operation.getResponses().getAPIResponse(status);
        if (response == null) {
            response = OASFactory.createAPIResponse().description(description);
            operation.getResponses().addAPIResponse(status, response);
        }
        if (response.getContent() == null) { // Quarkus adds some (400, 401, 403) without a body
            response.content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF))));
        }
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .properties(Map.of("field", string, "message", string));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .required(List.of("type", "title", "status"))
                .properties(Map.of(
                        "type", string, "title", string, "detail", string, "instance", string, "requestId", string,
                        "status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER),
                        "errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError)));
    }
}
