-- One tenant's figures. Walks the tenant's indexes, drops members whose entry is gone (expired or
-- evicted), and sums the sizes of the live ones: O(entries of the tenant).
-- KEYS[1] response index, KEYS[2] KV index, KEYS[3] stats hash.
-- ARGV[1] response key base, ARGV[2] KV key base, ARGV[3] now ms.
-- Returns {resp entries, resp bytes, kv entries, kv bytes, resp hits, resp misses, kv hits, kv misses}.
local function walk(index, base, size_of)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', ARGV[3])
  local entries, bytes = 0, 0
  for _, member in ipairs(redis.call('ZRANGE', index, 0, -1)) do
    local size = size_of(base .. member)
    if size and size > 0 then
      entries = entries + 1
      bytes = bytes + size
    else
      redis.call('ZREM', index, member)
    end
  end
  return entries, bytes
end
local re, rb = walk(KEYS[1], ARGV[1], function(key) return redis.call('STRLEN', key) end)
local ke, kb = walk(KEYS[2], ARGV[2], function(key) return tonumber(redis.call('HGET', key, 'bytes')) end)
local c = redis.call('HMGET', KEYS[3], 'resp_hits', 'resp_misses', 'kv_hits', 'kv_misses')
return {re, rb, ke, kb, tonumber(c[1]) or 0, tonumber(c[2]) or 0, tonumber(c[3]) or 0, tonumber(c[4]) or 0}
