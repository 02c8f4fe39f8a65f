-- wrk script for bench/registrations.py: POST /api/v1/registrations, one new attendee per request.
--
-- Environment:
--   BENCH_AUTHORIZATION  the Authorization header (Bearer emp_live_...); when set, no cookie is sent
--   BENCH_COOKIE   value of the Cookie header (sessionid=...; csrftoken=...)
--   BENCH_CSRF     the X-CSRFToken header
--   BENCH_EVENT    event id;  BENCH_TICKET_TYPE  ticket type id;  BENCH_RUN  a tag making emails unique per run
--
-- Prints "BENCH_JSON {...}" like wrk_latency.lua (requests, errors, non-2xx, latency percentiles in ms).

local authorization = os.getenv("BENCH_AUTHORIZATION") or ""
local cookie = os.getenv("BENCH_COOKIE") or ""
local csrf = os.getenv("BENCH_CSRF") or ""
local event = os.getenv("BENCH_EVENT") or ""
local ticket_type = os.getenv("BENCH_TICKET_TYPE") or ""
local run = os.getenv("BENCH_RUN") or "0"

local counter = 0

-- The reporting half (setup, response, done) is shared, next to this file.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_report.lua")

function init(args)
  wrk.method = "POST"
  if authorization ~= "" then
    wrk.headers["Authorization"] = authorization
  else
    wrk.headers["Cookie"] = cookie
    wrk.headers["X-CSRFToken"] = csrf
  end
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
