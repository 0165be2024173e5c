-- wrk script for bench/deps.sh: every connection is one API client sending PUT /api/v1/projects/{id}
-- with a lead's bearer token, changing the project's aim, spread over the projects: writes that no
-- public page shows (the topic "work"), so the pages people read stay cached (issue 22). Arguments
-- (after wrk's "--"): the token, then a file of "project ID BODY" lines (bench/deps-setup.mjs).
-- Prints one line as bench/writes.lua does: WRITES ok=N bad=N socket=N duration_us=N p99_us=N first_bad=...

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = args[1]
  targets = {}
  for line in io.lines(args[2]) do
    local id, body = line:match("^project (%d+) (.*)$")
    if id then targets[#targets + 1] = { path = "/api/v1/projects/" .. id, body = body } end
  end
  assert(#targets > 0, "project-writes.lua: no projects in " .. args[2])
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
