package dev.dragon.gateway.admin;

import dev.dragon.gateway.auth.ApiKeyRecord;
import dev.dragon.gateway.auth.IssuedKey;
import dev.dragon.gateway.auth.TenantPlan;
import java.util.List;

/** What the admin API answers (snake_case JSON). Never contains a key, except {@link NewKey} once. */
final class AdminViews {

    private AdminViews() {
    }

    /** A key's metadata. */
    record KeyView(String keyId, String tenant, long createdAt, Long revokedAt, boolean revoked) {
        static KeyView of(ApiKeyRecord r) {
            return new KeyView(r.keyId(), r.tenant(), r.createdAt(), r.revokedAt(), r.revoked());
        }
    }

    /** A key just issued: the plain key is shown this once. */
    record NewKey(String key, String keyId, String tenant, long createdAt) {
        static NewKey of(IssuedKey issued) {
            return new NewKey(issued.key(), issued.record().keyId(), issued.record().tenant(),
                    issued.record().createdAt());
        }

        @Override
        public String toString() {
            return "NewKey[keyId=" + keyId + ", tenant=" + tenant + "]";
        }
    }

    record TenantView(String tenant, TenantPlan plan, List<KeyView> keys) {
    }

    record TenantList(List<String> tenants) {
    }

    record KeyList(List<KeyView> keys) {
    }
}
