-- wrk script of bench/run: POSTs the JSON body in $BODY with every request and
-- checks every response: status 200 and no GraphQL "errors" member.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(os.getenv("BODY"), "r"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
  seen = 0
  bad = 0
end

function response(status, headers, body)
  seen = seen + 1
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local s, b = 0, 0
  for _, t in ipairs(threads) do
    s = s + t:get("seen")
    b = b + t:get("bad")
  end
  io.write(string.format("checked=%d bad=%d\n", s, b))
end
