-- Response-cache lookup and the tenant's hit/miss counter in one round trip.
-- KEYS[1] entry, KEYS[2] tenant stats hash. Returns the entry or nil.
local value = redis.call('GET', KEYS[1])
if value then
  redis.pcall('HINCRBY', KEYS[2], 'resp_hits', 1)
else
  redis.pcall('HINCRBY', KEYS[2], 'resp_misses', 1)
end
return value
