package io.agentnexus.platform;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.arc.Arc;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScheduledJobsTest {

    @Inject
    Scheduler scheduler;

    /**
     * The scheduler's timer outlives the shutdown of the database and the connection pools; a job that started
     * after the shutdown began failed on a closed EntityManagerFactory and logged an ERROR ("Error Occurred After
     * Shutdown"). Every job of ours skips its executions once the application stops.
     */
    @Test
    void everyScheduledJobSkipsOnceTheApplicationStops() {
        List<Method> jobs = Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .map(Bean::getBeanClass)
                .filter(type -> type.getPackageName().startsWith("io.agentnexus"))
                .distinct()
                .flatMap(type -> Arrays.stream(type.getDeclaredMethods()))
                .filter(method -> method.isAnnotationPresent(Scheduled.class))
                .toList();

        assertThat(jobs, not(empty()));
        assertThat("every job the scheduler runs was found", jobs, hasSize(scheduler.getScheduledJobs().size()));
        List<String> notSkipping = jobs.stream()
                .filter(job -> !job.getAnnotation(Scheduled.class).skipExecutionIf()
                        .equals(Scheduled.ApplicationNotRunning.class))
                .map(job -> job.getDeclaringClass().getSimpleName() + "#" + job.getName())
                .toList();
        assertThat(notSkipping, empty());
    }
}
