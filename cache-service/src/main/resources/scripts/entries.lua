-- Entries stored over all tenants (the dragon_cache_entries gauge): trims expired members from every
-- tenant's indexes and forgets tenants left with none. O(tenants).
-- KEYS[1] tenants set. ARGV[1] tenant key root before the tenant ("P:t:"), ARGV[2] response index
-- suffix after it, ARGV[3] KV index suffix, ARGV[4] now ms. Returns {response entries, KV entries}.
local resp, kv = 0, 0
for _, tenant in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local respIndex = ARGV[1] .. tenant .. ARGV[2]
  local kvIndex = ARGV[1] .. tenant .. ARGV[3]
  redis.call('ZREMRANGEBYSCORE', respIndex, '-inf', ARGV[4])
  redis.call('ZREMRANGEBYSCORE', kvIndex, '-inf', ARGV[4])
  local r = redis.call('ZCARD', respIndex)
  local k = redis.call('ZCARD', kvIndex)
  if r == 0 and k == 0 then
    redis.call('SREM', KEYS[1], tenant)
  end
  resp = resp + r
  kv = kv + k
end
return {resp, kv}
