package dev.dragon.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Any corruption of any listed file is caught by {@link ModelBundle#open} and blamed on that file. */
class BundleCorruptionPropertyTest {

    @Property(tries = 60)
    void flippingAnyByteOfAnyFileIsDetectedAndNamed(@ForAll @IntRange(min = 0, max = 1000) int fileIndex,
                                                    @ForAll @IntRange(min = 0, max = 1000) int position,
                                                    @ForAll @IntRange(min = 1, max = 255) int xor) throws IOException {
        Path dir = Files.createTempDirectory("bundle");
        try {
            TestBundle bundle = new TestBundle(dir);
            bundle.write();
            List<String> names = new ArrayList<>(bundle.contents.keySet());
            String victim = names.get(fileIndex % names.size());
            Path file = dir.resolve(victim);
            byte[] data = Files.readAllBytes(file);
            data[position % data.length] ^= (byte) xor;
            Files.write(file, data);

            BundleException e = catchThrowableOfType(BundleException.class, () -> ModelBundle.open(dir));
            assertThat(e).isNotNull();
            assertThat(e.file()).isEqualTo(victim);
            assertThat(e).hasMessageContaining("wrong sha256");
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
