package dev.dragon.platform;

import java.net.URI;
import java.util.List;

/**
 * One service process: which module's jar, its JVM options and Spring arguments, and the URL that answers
 * 200 once it is ready to serve.
 *
 * @param name      shown in the banner and used for the log file ({@code <run>/logs/<name>.log})
 * @param module    Maven module whose repackaged jar is run ({@code <module>/target/<module>-<version>.jar})
 * @param jvmOptions options before {@code -jar}
 * @param arguments Spring Boot arguments ({@code --property=value})
 * @param readiness URL polled until it answers 200
 */
public record ServiceSpec(String name, String module, List<String> jvmOptions, List<String> arguments, URI readiness) {

    public ServiceSpec {
        jvmOptions = List.copyOf(jvmOptions);
        arguments = List.copyOf(arguments);
    }
}
