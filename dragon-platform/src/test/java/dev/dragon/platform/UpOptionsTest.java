package dev.dragon.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UpOptionsTest {

    @Test
    void options_areParsed_withDefaultsForTheRest() {
        Up.UpOptions o = Up.UpOptions.parse(new String[] {"--port-offset", "100", "--dev-key", "sk-x",
                "--jvm-option", "-Xss1m"});

        assertThat(o.portOffset()).isEqualTo(100);
        assertThat(o.devKey()).isEqualTo("sk-x");
        assertThat(o.jvmOptions()).containsExactly("-Xss1m");
        assertThat(o.bundle()).isEqualTo(Path.of("models/dragon-moe-mini"));
        assertThat(o.timeoutSeconds()).isEqualTo(180);
    }

    @Test
    void badOptions_areRefused_withAMessageNamingThem() {
        assertThatThrownBy(() -> Up.UpOptions.parse(new String[] {"--ports", "1"}))
                .isInstanceOf(PlatformException.class).hasMessageContaining("unknown option '--ports'");
        assertThatThrownBy(() -> Up.UpOptions.parse(new String[] {"--port-offset", "ten"}))
                .isInstanceOf(PlatformException.class).hasMessageContaining("--port-offset takes a whole number");
        assertThatThrownBy(() -> Up.UpOptions.parse(new String[] {"--dev-key"}))
                .isInstanceOf(PlatformException.class).hasMessageContaining("--dev-key needs a value");
        assertThatThrownBy(() -> new Ports(Ports.MAX_OFFSET + 1))
                .isInstanceOf(PlatformException.class).hasMessageContaining("--port-offset must be between 0 and");
    }

    @Test
    void everyPort_isShiftedByTheOffset_andNoneRepeats() {
        Ports base = new Ports(0);
        Ports shifted = new Ports(1000);

        assertThat(base.all().values()).doesNotHaveDuplicates().contains(8080, 8081, 9080, 9081, 9092, 9096);
        base.all().forEach((name, port) -> assertThat(shifted.all().get(name)).as(name).isEqualTo(port + 1000));
    }
}
