-- wrk script for `reglament bench web --serve`: GET /api/tickets/RG-NNNNNN over random tickets with the bench API key.
-- wrk -t2 -c32 -d30s --latency -s scripts/wrk-tickets.lua http://127.0.0.1:5081
-- TICKETS (environment) is how many tickets were seeded (default 100000).
local tickets = tonumber(os.getenv("TICKETS") or "100000")
wrk.headers["Authorization"] = "Bearer bench-key"
math.randomseed(42)
request = function()
  return wrk.format("GET", string.format("/api/tickets/RG-%06d", math.random(1, tickets)))
end
