-- RestoreLongestPrefix's first round trip: the longest stored prefix and its committed header.
-- KEYS[1] tenant stats hash, KEYS[2..n+1] the prefixes' state headers, shortest first.
-- Returns {index (0-based), tokens, chunks, bytes, write id}, or {-1} when none is stored; counts the
-- lookup as a hit or a miss in the tenant's stats (kv_evicted.lua turns the hit into a miss when a chunk
-- turns out to be gone).
for i = #KEYS, 2, -1 do
  local h = redis.call('HMGET', KEYS[i], 'tokens', 'chunks', 'bytes', 'wid')
  if h[1] and h[2] and h[3] and h[4] then
    redis.pcall('HINCRBY', KEYS[1], 'kv_hits', 1)
    return {i - 2, tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), h[4]}
  end
end
redis.pcall('HINCRBY', KEYS[1], 'kv_misses', 1)
return {-1}
