-- wrk script for bench/api_read.py.
--
-- Environment:
--   BENCH_COOKIE   value of the Cookie header (sessionid=...)
--   BENCH_PATHS    space-separated request paths, taken round-robin per thread
--
-- At the end prints one line "BENCH_JSON {...}" with requests, errors, non-2xx
-- responses and latency percentiles in milliseconds, which api_read.py parses.

local cookie = os.getenv("BENCH_COOKIE") or ""
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "%S+") do
  paths[#paths + 1] = p
end

local threads = {}
local counter = 0
local non2xx = 0

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = thread_id or 0
  wrk.headers["Cookie"] = cookie
  wrk.headers["Accept"] = "application/json"
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path)
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
