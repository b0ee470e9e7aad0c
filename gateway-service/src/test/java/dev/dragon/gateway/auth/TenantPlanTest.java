package dev.dragon.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TenantPlanTest {

    @Test
    void allowedModels_listOrWildcard() {
        TenantPlan listed = new TenantPlan(10, 1000, 100, List.of("a", "b"));
        assertThat(listed.allows("a")).isTrue();
        assertThat(listed.allows("c")).isFalse();
        assertThat(new TenantPlan(10, 1000, 100, List.of("*")).allows("anything")).isTrue();
        assertThat(new TenantPlan(10, 1000, 100, null).allows("anything")).isTrue();
    }

    @Test
    void limitsBelowOne_areRefused() {
        assertThatThrownBy(() -> new TenantPlan(0, 1000, 100, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TenantPlan(1, 0, 100, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TenantPlan(1, 1, 0, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
