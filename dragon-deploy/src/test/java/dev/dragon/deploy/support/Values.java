package dev.dragon.deploy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Helm's values semantics outside Helm: load, and coalesce an override file over a base. */
public final class Values {

    private Values() {
    }

    public static Object load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Object parse(String yaml) {
        return new Yaml().load(yaml);
    }

    /** Maps merge key by key (recursively); anything else in the override replaces the base; null deletes. */
    @SuppressWarnings("unchecked")
    public static Object merge(Object base, Object override) {
        if (!(base instanceof Map<?, ?> baseMap) || !(override instanceof Map<?, ?> overrideMap)) {
            return override;
        }
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) baseMap);
        ((Map<String, Object>) overrideMap).forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, merge(merged.get(key), value));
            }
        });
        return merged;
    }

    public static String dump(Object values) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(values);
    }
}
