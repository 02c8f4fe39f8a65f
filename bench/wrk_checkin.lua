-- wrk script for bench/registrations.py: POST /api/v1/checkins, one scan of a new ticket per request.
--
-- Environment:
--   BENCH_AUTHORIZATION  the Authorization header (Bearer emp_live_...)
--   BENCH_EVENT    the event id
--   BENCH_CODES    a file of ticket codes, one a line; each of wrk's threads scans its own share in turn
--   BENCH_THREADS  wrk's -t (the threads' shares interleave)
--   BENCH_RUN      a tag making each scan's nonce unique per run
--
-- Every scan carries a nonce, as a scanner that retries does. Prints "BENCH_JSON {...}" like wrk_latency.lua.

local authorization = os.getenv("BENCH_AUTHORIZATION") or ""
local event = os.getenv("BENCH_EVENT") or ""
local run = os.getenv("BENCH_RUN") or "0"
local codes = {}
for line in io.lines(os.getenv("BENCH_CODES")) do
  codes[#codes + 1] = line
end

local counter = 0

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_report.lua")

function init(args)
  wrk.method = "POST"
  wrk.headers["Authorization"] = authorization
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  -- Threads take interleaved codes (thread t: t+1, t+1+n, ...), so no two scan the same ticket.
  local index = (thread_id or 0) + 1 + counter * (tonumber(os.getenv("BENCH_THREADS")) or 2)
  counter = counter + 1
  local code = codes[((index - 1) % #codes) + 1]
  local body = string.format(
    '{"code": "%s", "eventId": "%s", "device": "gate-%d", "nonce": "%s-%d-%d"}',
    code, event, thread_id or 0, run, thread_id or 0, counter
  )
  return wrk.format("POST", "/api/v1/checkins", nil, body)
end
