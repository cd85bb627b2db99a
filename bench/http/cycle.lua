-- wrk script of bench/run: $BODY holds one JSON request body per line;
-- requests cycle through them in order, so that every scenario draws
-- different variables per request (no server answers from a cache of one
-- request). Every response is checked: status 200 and no GraphQL "errors".
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(os.getenv("BODY")) do
    if #line > 0 then table.insert(bodies, line) end
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  next_body = 0
  seen = 0
  bad = 0
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
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
