-- Makes a fully written KV state visible: replaces the header, drops the chunks of the write it
-- replaces, indexes it for the tenant's stats (index.lua is prepended).
-- KEYS[1] state header, KEYS[2] tenant index (ZSET), KEYS[3] tenants set.
-- ARGV[1] tokens, ARGV[2] chunks, ARGV[3] bytes, ARGV[4] write id, ARGV[5] ttl ms, ARGV[6] index member,
-- ARGV[7] now ms, ARGV[8] tenant.
local ttl = tonumber(ARGV[5])
local old = redis.call('HMGET', KEYS[1], 'wid', 'chunks')
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'tokens', ARGV[1], 'chunks', ARGV[2], 'bytes', ARGV[3], 'wid', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ttl)
if old[1] and old[1] ~= ARGV[4] and old[2] then
  -- chunk keys as CacheKeys.kvChunk spells them
  for i = 0, tonumber(old[2]) - 1 do
    redis.call('UNLINK', KEYS[1] .. ':' .. old[1] .. ':' .. i)
  end
end
index_entry(KEYS[2], KEYS[3], ARGV[6], ARGV[8], tonumber(ARGV[7]), ttl)
return 1
