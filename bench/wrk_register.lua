-- wrk script for bench/registrations.py: POST /api/v1/registrations, one new attendee per request.
--
-- Environment:
--   BENCH_COOKIE   value of the Cookie header (sessionid=...; csrftoken=...)
--   BENCH_CSRF     the X-CSRFToken header
--   BENCH_EVENT    event id;  BENCH_TICKET_TYPE  ticket type id;  BENCH_RUN  a tag making emails unique per run
--
-- Prints "BENCH_JSON {...}" like wrk_latency.lua (requests, errors, non-2xx, latency percentiles in ms).

local cookie = os.getenv("BENCH_COOKIE") or ""
local csrf = os.getenv("BENCH_CSRF") or ""
local event = os.getenv("BENCH_EVENT") or ""
local ticket_type = os.getenv("BENCH_TICKET_TYPE") or ""
local run = os.getenv("BENCH_RUN") or "0"

local threads = {}
local counter = 0
local non2xx = 0

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Cookie"] = cookie
  wrk.headers["X-CSRFToken"] = csrf
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  counter = counter + 1
  local email = string.format("a-%s-%d-%d@bench.example", run, thread_id or 0, counter)
  local body = string.format(
    '{"eventId": "%s", "ticketTypeId": "%s", "attendees": [{"name": "Bench Attendee", "email": "%s"}]}',
    event, ticket_type, email
  )
  return wrk.format("POST", "/api/v1/registrations", nil, body)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non2xx") or 0)
  end
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
      .. '"p50": %.3f, "p95": %.3f, "p99": %.3f, "mean": %.3f, "max": %.3f}\n',
    summary.requests, summary.duration, errors, bad,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000
  ))
end
