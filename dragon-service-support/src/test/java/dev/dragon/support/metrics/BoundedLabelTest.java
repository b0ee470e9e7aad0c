package dev.dragon.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedLabelTest {

    @Test
    void firstValuesKeepTheirName_laterOnesBecomeOther() {
        BoundedLabel label = new BoundedLabel(2);
        assertThat(label.value("acme")).isEqualTo("acme");
        assertThat(label.value("globex")).isEqualTo("globex");
        assertThat(label.value("initech")).isEqualTo(BoundedLabel.OTHER);
        assertThat(label.value("acme")).isEqualTo("acme");
        assertThat(label.value(null)).isEqualTo("none");
    }
}
