-- Appends a tenant purge to the purge log and trims what is older than the retention, measured from the new
-- entry's own id (Redis's clock), so clock differences between replicas and Redis never trim a kept purge.
-- KEYS[1] purge log (STREAM). ARGV[1] tenant, ARGV[2] retention ms. Returns the new entry's id.
local id = redis.call('XADD', KEYS[1], '*', 'tenant', ARGV[1])
local millis = tonumber(string.match(id, '^(%d+)-'))
local oldest = millis - tonumber(ARGV[2])
if oldest > 0 then
  redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d', oldest))
end
return id
