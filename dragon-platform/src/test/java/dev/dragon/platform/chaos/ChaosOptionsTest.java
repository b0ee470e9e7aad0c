package dev.dragon.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.platform.PlatformException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {

    @Test
    void defaults_areTheIssuesFullSize() {
        Chaos.Options o = Chaos.Options.parse(new String[0]);
        assertThat(o.streams()).isEqualTo(32);
        assertThat(o.faultSeconds()).isEqualTo(20);
        assertThat(o.badInput()).isEqualTo(10_000);
        assertThat(o.faults()).containsExactly("expert-kill", "redis-stop", "kafka-stop", "learner-kill", "router-kill");
        assertThat(o.out()).isEqualTo(Path.of("results/chaos.json"));
    }

    @Test
    void options_overrideDefaults_andNoneSkipsTheFaults() {
        Chaos.Options o = Chaos.Options.parse(new String[] {"--streams", "8", "--faults", "none", "--bad-input", "0"});
        assertThat(o.streams()).isEqualTo(8);
        assertThat(o.faults()).isEmpty();
        assertThat(o.badInput()).isZero();
        assertThat(Chaos.Options.parse(new String[] {"--faults", "router-kill,redis-stop"}).faults())
                .isEqualTo(List.of("router-kill", "redis-stop"));
    }

    @Test
    void unknownOptions_faults_andNumbers_areRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> Chaos.Options.parse(new String[] {"--bogus", "1"}))
                .isInstanceOf(PlatformException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> Chaos.Options.parse(new String[] {"--faults", "pod-delete"}))
                .isInstanceOf(PlatformException.class).hasMessageContaining("unknown fault 'pod-delete'");
        assertThatThrownBy(() -> Chaos.Options.parse(new String[] {"--streams", "many"}))
                .isInstanceOf(PlatformException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Chaos.Options.parse(new String[] {"--streams"}))
                .isInstanceOf(PlatformException.class);
    }
}
