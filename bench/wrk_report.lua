-- Shared by the bench's wrk scripts: counts non-2xx answers per thread and, at the
-- end, prints one line "BENCH_JSON {...}" (requests, errors, non-2xx, latency
-- percentiles in ms) that the Python runners parse. Load it with dofile.
--
-- The counters are globals on purpose: done() reads each thread's count with
-- thread:get(), which sees only global variables.

threads = {}
non2xx = 0

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
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
