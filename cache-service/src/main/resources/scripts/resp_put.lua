-- Stores a response entry and indexes it for the tenant's stats (index.lua is prepended).
-- KEYS[1] entry, KEYS[2] tenant index (ZSET), KEYS[3] tenants set.
-- ARGV[1] value, ARGV[2] ttl ms, ARGV[3] index member, ARGV[4] now ms, ARGV[5] tenant.
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
index_entry(KEYS[2], KEYS[3], ARGV[3], ARGV[5], tonumber(ARGV[4]), ttl)
return 1
