-- The longest stored prefix: KEYS[1] tenant stats hash, KEYS[2..n+1] the prefixes' state headers,
-- shortest first. Returns {index (0-based, -1 when none), token count}.
for i = #KEYS, 2, -1 do
  local tokens = redis.call('HGET', KEYS[i], 'tokens')
  if tokens then
    redis.pcall('HINCRBY', KEYS[1], 'kv_hits', 1)
    return {i - 2, tonumber(tokens)}
  end
end
redis.pcall('HINCRBY', KEYS[1], 'kv_misses', 1)
return {-1, 0}
