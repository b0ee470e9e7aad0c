package dev.dragon.cache.config;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CachePropertiesTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private static CacheProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("dragon.cache", CacheProperties.class);
    }

    @Test
    void purges_defaultToAPollEvery100ms_anHourOfLog_andValidate() {
        CacheProperties properties = bind(Map.of());

        assertThat(properties.purges()).isEqualTo(new CacheProperties.Purges(Duration.ofMillis(100), Duration.ofHours(1),
                100, 1000));
        assertThat(VALIDATOR.validate(properties)).isEmpty();
    }

    @Test
    void purges_refuseAZeroPollInterval_aSubSecondRetention_andAWatcherQueueSmallerThanABatch() {
        Set<ConstraintViolation<CacheProperties>> violations = VALIDATOR.validate(bind(Map.of(
                "dragon.cache.purges.poll-interval", "0s", "dragon.cache.purges.retention", "10ms",
                "dragon.cache.purges.batch", "500", "dragon.cache.purges.watcher-queue", "100")));

        assertThat(violations).extracting(v -> v.getPropertyPath().toString()).containsExactlyInAnyOrder(
                "purges.pollInterval", "purges.retention", "purges.watcherQueueHoldingABatch");
    }
}
