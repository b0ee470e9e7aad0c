-- A restored state turned out to miss a chunk (evicted, or replaced meanwhile): drops its header so the
-- next lookup misses instead of failing again, and turns the hit kv_restore.lua counted into a miss.
-- KEYS[1] state header, KEYS[2] tenant stats hash.
redis.call('DEL', KEYS[1])
redis.pcall('HINCRBY', KEYS[2], 'kv_hits', -1)
redis.pcall('HINCRBY', KEYS[2], 'kv_misses', 1)
return 1
