package io.agentnexus.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The mock Kubernetes API server (CRUD mode) with the fake Job controller and kubelet, for a Quarkus app
 * started with {@code agentnexus.runtime=kubernetes}: its client is pointed here.
 */
public class KubernetesApiResource implements QuarkusTestResourceLifecycleManager {

    private static KubernetesMockServer server;
    private static FakeKubelet kubelet;
    private static KubernetesClient client;

    @Override
    public Map<String, String> start() {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest,
                java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        kubelet = new FakeKubelet(responses, KubernetesContainerRuntimeTest.AGENTS);
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses, kubelet, false);
        server.init();
        client = server.createClient();
        kubelet.start(server.createClient(), KubernetesContainerRuntimeTest.NAMESPACE);
        // quarkus.kubernetes-client.* is fixed at build time; fabric8's own auto-configuration is read when the
        // client is created, as in a pod (where it finds the service account).
        PROPERTIES.forEach(System::setProperty);
        System.setProperty("kubernetes.master", client.getConfiguration().getMasterUrl());
        return Map.of();
    }

    private static final Map<String, String> PROPERTIES = Map.of("kubernetes.auth.tryKubeConfig", "false",
            "kubernetes.auth.tryServiceAccount", "false", "kubernetes.trust.certificates", "true",
            "kubernetes.request.retry.backoffLimit", "0");

    @Override
    public void stop() {
        PROPERTIES.keySet().forEach(System::clearProperty);
        System.clearProperty("kubernetes.master");
        kubelet.stop();
        client.close();
        server.destroy();
    }

    /** The test's own view of the API server. */
    static KubernetesClient client() {
        return client;
    }

    static FakeKubelet kubelet() {
        return kubelet;
    }
}
