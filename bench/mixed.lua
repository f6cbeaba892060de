-- The load run: campaign and home page views mixed with registrations (wrk -s bench/mixed.lua).
-- BENCH_BODY is a complete registration form (CSRF token included) without the mobile, which
-- is made unique per request here; BENCH_CSRF_COOKIE is the matching cookie.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  body = os.getenv("BENCH_BODY")
  cookie = "csrftoken=" .. os.getenv("BENCH_CSRF_COOKIE")
  register_path = "/" .. os.getenv("BENCH_SLUG") .. "/register/"
  counter = 0
  accepted, pages, failed = 0, 0, 0
  math.randomseed(tid + 7)
end

function request()
  local roll = math.random(100)
  if roll <= 10 then
    counter = counter + 1
    local mobile = string.format("0912%07d", tid * 3000000 + counter)
    return wrk.format("POST", register_path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = cookie,
    }, body .. "&mobile=" .. mobile)
  elseif roll <= 15 then
    return wrk.format("GET", "/")
  end
  return wrk.format("GET", "/nehzat/")
end

function response(status, headers, body)
  if status == 302 and string.find(headers["Location"] or "", "/confirm/", 1, true) then
    accepted = accepted + 1
  elseif status == 200 then
    pages = pages + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local a, p, f, sent = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    p = p + thread:get("pages")
    f = f + thread:get("failed")
    sent = sent + thread:get("counter")
  end
  io.write(string.format(
    'BENCH-COUNTS {"registrations_accepted": %d, "registrations_sent": %d, "pages_ok": %d, "failed": %d}\n',
    a, sent, p, f))
end
