-- Shared by the scripts that store an entry (prepended to them when they are loaded):
-- scores the entry's member by its expiry in the tenant's index, drops expired members, keeps the
-- index alive as long as its newest entry, and remembers the tenant.
local function index_entry(index, tenants, member, tenant, now, ttl)
  redis.call('ZADD', index, now + ttl, member)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
  if redis.call('PTTL', index) < ttl then
    redis.call('PEXPIRE', index, ttl)
  end
  redis.call('SADD', tenants, tenant)
end
