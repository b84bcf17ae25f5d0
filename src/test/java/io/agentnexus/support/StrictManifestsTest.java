package io.agentnexus.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictManifestsTest {

    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: run
            spec:
              backoffLimit: 0
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: agent
                      image: agent@sha256:abc
                      resources:
                        limits: {memory: 512Mi, cpu: 500m}
            """;

    @Test
    void aWellFormedStreamIsReadIntoTypedObjects() {
        var objects = StrictManifests.checkYaml(JOB + "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: runs\n");
        assertEquals(2, objects.size());
        assertTrue(objects.get(0) instanceof Job);
    }

    @Test
    void aMisspeltFieldFailsWithItsPath() {
        var error = assertThrows(AssertionError.class,
                () -> StrictManifests.checkYaml(JOB.replace("restartPolicy", "restartPolicey")));
        assertTrue(error.getMessage().contains(".spec.template.spec.restartPolicey"), error.getMessage());
    }

    @Test
    void anUnknownKindFails() {
        var error = assertThrows(AssertionError.class,
                () -> StrictManifests.checkYaml(JOB.replace("kind: Job", "kind: Jobb")));
        assertTrue(error.getMessage().contains("no typed model"), error.getMessage());
    }

    private static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: workers
              labels: {app: workers}
            spec:
              scaleTargetRef: {name: workers}
              minReplicaCount: 0
              maxReplicaCount: 4
              advanced:
                horizontalPodAutoscalerConfig:
                  behavior:
                    scaleDown:
                      stabilizationWindowSeconds: 600
              triggers:
                - type: prometheus
                  metadata:
                    serverAddress: http://prometheus:9090
                    query: max(queue_depth)
                    threshold: "4"
            """;

    @Test
    void aKindWithoutTypedModelIsCheckedAgainstItsVendoredCrd() {
        var objects = StrictManifests.checkYaml(SCALED_OBJECT);
        assertEquals("workers", objects.get(0).getMetadata().getName());
    }

    @Test
    void aCrdObjectFailsOnAMisspeltFieldAtAnyDepthAndOnAWrongType() {
        Map<String, String> brokenAndWhere = Map.of(
                SCALED_OBJECT.replace("minReplicaCount", "minReplicas"), "$.spec: property 'minReplicas'",
                SCALED_OBJECT.replace("stabilizationWindowSeconds", "stabilisationWindowSeconds"),
                "scaleDown: property 'stabilisationWindowSeconds'",
                SCALED_OBJECT.replace("spec:", "spek: {}\nspec:"), "$: property 'spek'",
                SCALED_OBJECT.replace("threshold: \"4\"", "threshold: 4"), "$.spec.triggers[0].metadata.threshold",
                SCALED_OBJECT.replace("scaleTargetRef: {name: workers}", "scaleTargetRef: {kind: Deployment}"),
                "$.spec.scaleTargetRef: required property 'name'");
        brokenAndWhere.forEach((broken, where) -> {
            var error = assertThrows(AssertionError.class, () -> StrictManifests.checkYaml(broken), broken);
            assertTrue(error.getMessage().contains("does not match its CRD schema"), error.getMessage());
            assertTrue(error.getMessage().contains(where), error.getMessage());
        });
    }

    @Test
    void aCrdObjectsMetadataIsCheckedAgainstTheTypedModel() {
        var error = assertThrows(AssertionError.class,
                () -> StrictManifests.checkYaml(SCALED_OBJECT.replace("labels:", "lables:")));
        assertTrue(error.getMessage().contains(".metadata.lables"), error.getMessage());
    }

    @Test
    void aCustomKindWithNeitherModelNorCrdFails() {
        var error = assertThrows(AssertionError.class,
                () -> StrictManifests.checkYaml(SCALED_OBJECT.replace("kind: ScaledObject", "kind: ScaledJob")));
        assertTrue(error.getMessage().contains("no vendored CRD schema"), error.getMessage());
    }

    @Test
    void prometheusOperatorKindsHaveTypedModels() {
        String monitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: app}
                spec:
                  jobLabel: app
                  selector: {matchLabels: {app: app}}
                  endpoints: [{port: http, path: /q/metrics}]
                """;
        String rule = """
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: app}
                spec:
                  groups: [{name: app, rules: [{alert: Down, expr: up == 0, for: 5m}]}]
                """;
        var objects = StrictManifests.checkYaml(monitor + "---\n" + rule);
        assertTrue(objects.get(0) instanceof ServiceMonitor, objects.get(0).getClass().getName());
        assertTrue(objects.get(1) instanceof PrometheusRule, objects.get(1).getClass().getName());
        var error = assertThrows(AssertionError.class,
                () -> StrictManifests.checkYaml(monitor.replace("path:", "pathh:")));
        assertTrue(error.getMessage().contains(".spec.endpoints[0].pathh"), error.getMessage());
    }

    @Test
    void anObjectBuiltInCodeIsCheckedAsSent() {
        Job job = new JobBuilder().withNewMetadata().withName("run").endMetadata()
                .withNewSpec().withBackoffLimit(0).endSpec().build();
        StrictManifests.check(job);
        job.getSpec().setAdditionalProperty("activeDeadline", 5);
        assertThrows(AssertionError.class, () -> StrictManifests.check(job));
    }
}
