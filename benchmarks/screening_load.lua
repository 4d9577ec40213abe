-- wrk script: POST contract-v1 screenings as a county's banks would send them: each request a new
-- request_id; 200,000 customers who mostly pay their usual payees ordinary amounts; about one request in
-- 500 shaped like a scam (new out-of-province payee, large amount, scam purpose, teller signals).
-- RATE (requests/s, for one wrk thread) offers a fixed rate: sends follow a wall-clock schedule, so a slow
-- answer does not slow the offered load as long as connections are free. RATE unset or 0 = as fast as possible.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } pingan_timespec;
int clock_gettime(int clk_id, pingan_timespec *tp);
]]
local ts = ffi.new("pingan_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local counter = 0
local rate = tonumber(os.getenv("RATE") or "0")
local key = os.getenv("BENCH_KEY")
local run = os.getenv("RUN_TAG") or "r"
local next_at = nil
local CUSTOMERS = 200000
local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local codes = "10X98765432"

local function resident_id(i)
  local year = 1940 + (i % 65)
  local month = 1 + (i % 12)
  local day = 1 + (i % 28)
  local body17 = string.format("331003%04d%02d%02d%03d", year, month, day, i % 1000)
  local sum = 0
  for k = 1, 17 do sum = sum + (body17:byte(k) - 48) * weights[k] end
  local m = sum % 11
  return body17 .. codes:sub(m + 1, m + 1)
end

function setup(thread)
  thread:set("thread_tag", run)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. key
end

local template = '{"request_id":"%s-%d","bank_code":"TZB","branch_code":"TZB-%02d","channel":"%s",' ..
  '"occurred_at":"2026-11-%02dT%02d:%02d:%02d+08:00","amount":%d.%02d,' ..
  '"customer":{"id_number":"%s","name":"张三","phone":"138%08d","account_no":"6222%012d","balance":%d},' ..
  '"payee":{"account_no":"%s","name":"李四","region_code":"%s"},"purpose":"%s","signals":[%s]}'
local channels = {"mobile", "mobile", "online", "counter", "atm"}
local purposes = {"生活费", "货款", "还款", "房租", "给家人", "", "学费", "工资"}

function request()
  counter = counter + 1
  local n = counter
  local c = (n * 7919) % CUSTOMERS  -- spreads consecutive requests over the population
  local usual = 200 + (c % 50) * 100
  local payee, region, purpose, signals, amount = "", "331003", purposes[n % 8 + 1], "", usual + (n * 37) % usual
  if n % 500 == 0 then
    payee = string.format("6230%012d", n % 997)
    region, purpose, signals, amount = "510104", "投资理财，导师说稳赚", '"on_phone","caller_instructing"', 50000 + n % 100000
  elseif n % 5 == 0 then
    payee = string.format("6217%012d", (n * 31) % 3000000)
  else
    payee = string.format("6217%012d", c * 3 + n % 2)
  end
  local minute = math.floor(n / 60)
  local body = string.format(template, thread_tag, n, 1 + c % 10, channels[c % 5 + 1],
    1 + math.floor(minute / 1440) % 28, math.floor(minute / 60) % 24, minute % 60, n % 60,
    amount, n % 100, resident_id(c), c, c, usual * 30, payee, region, purpose, signals)
  return wrk.format(nil, nil, nil, body)
end

function delay()
  if rate <= 0 then return 0 end
  local t = now_ms()
  next_at = (next_at or t) + 1000 / rate
  local wait = next_at - t
  return wait > 0 and wait or 0
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
