-- wrk script for the write benchmarks: every connection is one API client sending PUTs with a
-- lead's bearer token, spread over the targets of a file of "put PATH BODY" lines, BODY a JSON body
-- in which @N@ becomes the write's own number (thread-count). bench/web.sh's targets are the
-- values (bench/web-setup.mjs: the description changes, the name stays); bench/deps.sh's are
-- projects (bench/deps-setup.mjs: their aim changes, the topic "work", which no public page shows).
-- Arguments (after wrk's "--"): the token, then the file.
-- Counts 2xx and other answers itself (wrk's own count of "non-2xx or 3xx" lets 3xx through) and
-- prints one line: WRITES ok=N bad=N socket=N duration_us=N p99_us=N first_bad=...

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = args[1]
  targets = {}
  for line in io.lines(args[2]) do
    local path, body = line:match("^put (%S+) (.*)$")
    if path then targets[#targets + 1] = { path = path, body = body } end
  end
  assert(#targets > 0, "writes.lua: no put lines in " .. args[2])
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  n, ok, bad, first_bad = 0, 0, 0, ""
end

function request()
  n = n + 1
  local t = targets[(n + tid) % #targets + 1]
  local body = t.body:gsub("@N@", tid .. "-" .. n)
  return wrk.format("PUT", t.path, headers, body)
end

function response(status, _, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 120):gsub("%s+", " ") end
  end
end

function done(summary, latency, _)
  local o, b, first = 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("bad")
    if first == "" then first = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format("WRITES ok=%d bad=%d socket=%d duration_us=%d p99_us=%d first_bad=%s\n",
    o, b, e.connect + e.read + e.write + e.timeout, summary.duration, latency:percentile(99), first))
end
