package io.agentnexus.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
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

    @Test
    void anObjectBuiltInCodeIsCheckedAsSent() {
        Job job = new JobBuilder().withNewMetadata().withName("run").endMetadata()
                .withNewSpec().withBackoffLimit(0).endSpec().build();
        StrictManifests.check(job);
        job.getSpec().setAdditionalProperty("activeDeadline", 5);
        assertThrows(AssertionError.class, () -> StrictManifests.check(job));
    }
}
