-- wrk's `done` hook: one line, "WRK_REPORT {json}", with what bench/public_page_vs_static.py reads.
-- Latencies are in microseconds. errors.status counts responses with a status of 400 or more
-- (what wrk prints as "Non-2xx or 3xx responses"); the other errors are socket errors.

done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_REPORT {"requests": %d, "duration_us": %d, "bytes": %d, "requests_per_second": %.2f, '
         .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, '
         .. '"errors_connect": %d, "errors_read": %d, "errors_write": %d, '
         .. '"errors_status": %d, "errors_timeout": %d}\n',
      summary.requests, summary.duration, summary.bytes,
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.status, e.timeout
   ))
end
