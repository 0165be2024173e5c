-- wrk script for bench/results.mjs (issue 9): API clients of one conversation, each connection a
-- keep-alive client with a lead's bearer token. Arguments (after wrk's "--"):
--   MODE TOKEN CONVERSATION COUNT [FIRST_ITEM NITEMS PREFIX ADDRESS_BASE]
-- MODE "ideas": COUNT ideas (POST .../contributions); "votes": COUNT votes (POST .../votes) spread
-- over the NITEMS ideas from FIRST_ITEM, each thread stopping at its share and printing QUOTA
-- (COUNT 0: until wrk's -d ends). The people are simulated as the rate limits expect them (contribute.c): a contributor
-- session makes at most 10 ideas or 300 votes, and an address (X-Forwarded-For, the server trusting
-- 127.0.0.1 as its proxy) at most 30 ideas or 1,000 votes. Sessions are issued by the server (a
-- request without X-Contributor gets one, at most 60 per address in 10 minutes): each thread keeps
-- the one its last answer gave and sends it back until it has used it for its share. The votes all
-- come from one account (the token's), so each replaces that account's vote on its item: the load is
-- a commit per request all the same. PREFIX is kept for the command line; ADDRESS_BASE offsets the
-- addresses, so that two runs never act from the same address.
-- Prints one line: CODESIGN ok=N bad=N socket=N duration_us=N p99_us=N min_id=N max_id=N first_bad=...

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  mode, token, conv = args[1], args[2], args[3]
  local count = tonumber(args[4])
  first, nitems, prefix = tonumber(args[5] or "0"), tonumber(args[6] or "0"), args[7] or "bench"
  addr_base = tonumber(args[8] or "0")
  quota = count > 0 and math.ceil(count / 2) or 0 -- bench/results.mjs runs wrk with 2 threads
  path = "/api/v1/conversations/" .. conv .. (mode == "ideas" and "/contributions" or "/votes")
  n, sent, ok, bad, first_bad, min_id, max_id = 0, 0, 0, 0, "", 0, 0
  -- Ideas have random ids: the ideas run writes the ones it made to $CODESIGN_IDS (done below),
  -- and the votes run spreads its votes over them.
  idlist, ids, items = {}, "", nil
  local f = mode == "votes" and os.getenv("CODESIGN_IDS") and io.open(os.getenv("CODESIGN_IDS"), "r")
  if f then
    items = {}
    for line in f:lines() do
      if string.match(line, "^%d+$") then table.insert(items, line) end
    end
    f:close()
    if #items > 0 then nitems = #items else items = nil end
  end
  session, uses, per_session = nil, 0, (mode == "ideas" and 10 or 300)
  spent = {} -- sessions used up: answers to requests still in flight bring them back
end

local votes = { "agree", "agree", "agree", "disagree", "unsure", "agree", "disagree", "agree" }

function request()
  -- This thread's k-th request is the global (2k + tid - 1)-th: the two threads interleave.
  local g = 2 * sent + tid - 1
  sent = sent + 1
  local who, addr, body
  if mode == "ideas" then
    who, addr = math.floor(g / 10), math.floor(g / 30)
    body = '{"body":"Bench idea ' .. g .. ': more time for handovers at ward ' .. (g % 97) .. '"}'
  else
    who, addr = math.floor(g / 300), math.floor(g / 1000)
    local item = items and items[g % nitems + 1] or (first + g % nitems)
    body = '{"item":' .. item .. ',"vote":"' .. votes[(g * 7 + math.floor(g / nitems)) % 8 + 1] .. '"}'
  end
  addr = addr + addr_base
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(addr / 65536) % 256, math.floor(addr / 256) % 256, addr % 256),
  }
  if session and uses < per_session then
    headers["X-Contributor"] = session
    uses = uses + 1
  elseif session then
    spent[session] = true
    session = nil -- used up: the next answer with another one brings it
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, _, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
    local c = string.match(body or "", '"contributor":%s*"([^"]+)"')
    if c and not session and not spent[c] then
      session, uses = c, 1
    end
    if mode == "ideas" then
      local idstr = string.match(body or "", '"id":%s*(%d+)')
      local id = tonumber(idstr)
      if id and (min_id == 0 or id < min_id) then min_id = id end
      if id and id > max_id then max_id = id end
      if idstr then table.insert(idlist, idstr) end -- as text: a double would round it
    end
  else
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 120):gsub("%s+", " ") end
  end
  if quota > 0 and ok + bad == quota then
    -- wrk runs for its whole -d even when every thread has stopped: bench/results.mjs stops it
    -- (SIGINT) once both threads have said so.
    ids = table.concat(idlist, "\n")
    io.write("QUOTA\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, _)
  local o, b, first_b, lo, hi = 0, 0, "", 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("bad")
    if first_b == "" then first_b = t:get("first_bad") end
    local l, h = t:get("min_id"), t:get("max_id")
    if l > 0 and (lo == 0 or l < lo) then lo = l end
    if h > hi then hi = h end
  end
  local path = os.getenv("CODESIGN_IDS")
  local f = path and io.open(path, "a")
  if f then
    for _, t in ipairs(threads) do
      local s = t:get("ids")
      if s and s ~= "" then f:write(s, "\n") end
    end
    f:close()
  end
  local e = summary.errors
  io.write(string.format("CODESIGN ok=%d bad=%d socket=%d duration_us=%d p99_us=%d min_id=%d max_id=%d first_bad=%s\n",
    o, b, e.connect + e.read + e.write + e.timeout, summary.duration, latency:percentile(99), lo, hi, first_b))
end
