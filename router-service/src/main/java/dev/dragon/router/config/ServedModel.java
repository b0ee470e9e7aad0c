package dev.dragon.router.config;

/**
 * The model this router serves, as the API shows it.
 *
 * @param id          the model id clients use
 * @param bundleName  the bundle's name (manifest {@code name})
 * @param version     the bundle's version (header {@code x-dragon-model-version})
 * @param created     Unix seconds the bundle's manifest was written ({@code created} of {@code /v1/models})
 */
public record ServedModel(String id, String bundleName, String version, long created) {

    /** {@code system_fingerprint} of responses generated with PC adapter {@code adapterVersion}. */
    public String fingerprint(String adapterVersion) {
        return bundleName + "@" + version + "+pc" + adapterVersion;
    }
}
