-- wrk script for bench/api_read.py.
--
-- Environment:
--   BENCH_COOKIE   value of the Cookie header (sessionid=...)
--   BENCH_AUTHORIZATION  the Authorization header instead (Bearer ...), when set
--   BENCH_PATHS    space-separated request paths, taken round-robin per thread
--
-- At the end prints one line "BENCH_JSON {...}" with requests, errors, non-2xx
-- responses and latency percentiles in milliseconds, which api_read.py parses.

local cookie = os.getenv("BENCH_COOKIE") or ""
local authorization = os.getenv("BENCH_AUTHORIZATION") or ""
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "%S+") do
  paths[#paths + 1] = p
end

local counter = 0

-- The reporting half (setup, response, done) is shared, next to this file.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_report.lua")

function init(args)
  counter = thread_id or 0
  if authorization ~= "" then
    wrk.headers["Authorization"] = authorization
  else
    wrk.headers["Cookie"] = cookie
  end
  wrk.headers["Accept"] = "application/json"
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path)
end
