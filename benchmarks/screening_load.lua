-- wrk script: POST contract-v1 screenings, each with a new request_id, varied customers, payees and amounts.
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

local ids = {}
local counter = 0
local rate = tonumber(os.getenv("RATE") or "0")
local next_at = nil

local key = os.getenv("BENCH_KEY")
local run = os.getenv("RUN_TAG") or "r"

local function check_digit(body17)
  local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
  local codes = "10X98765432"
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(body17:sub(i, i)) * weights[i] end
  local m = sum % 11
  return codes:sub(m + 1, m + 1)
end

for i = 0, 999 do
  local year = 1945 + (i % 60)
  local month = 1 + (i % 12)
  local day = 1 + (i % 28)
  local body17 = string.format("331003%04d%02d%02d%03d", year, month, day, i % 1000)
  ids[#ids + 1] = body17 .. check_digit(body17)
end

local tid = 0
function setup(thread)
  tid = tid + 1
  thread:set("thread_tag", run .. "t" .. tid)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. key
end

local template = '{"request_id":"%s-%d","bank_code":"TZB","branch_code":"TZB-01","channel":"%s",' ..
  '"occurred_at":"2026-11-02T%02d:%02d:%02d+08:00","amount":%d.%02d,' ..
  '"customer":{"id_number":"%s","name":"张三","phone":"138%08d","account_no":"6222%012d","balance":%d},' ..
  '"payee":{"account_no":"6217%012d","name":"李四","region_code":"%s"},"purpose":"%s","signals":[%s]}'
local channels = {"counter", "mobile", "online", "atm"}
local regions = {"331003", "331002", "510104", "450102", "330106"}
local purposes = {"生活费", "货款", "还款", "房租", "投资理财收益", "给家人"}

function request()
  counter = counter + 1
  local n = counter
  local signals = ""
  if n % 50 == 0 then signals = '"on_phone","caller_instructing"' end
  local body = string.format(template, thread_tag, n, channels[n % 4 + 1], 8 + n % 12, n % 60, (n * 7) % 60,
    100 + (n * 37) % 50000, n % 100, ids[n % 1000 + 1], n % 100000000, n % 100000, 1000 + (n * 13) % 200000,
    (n * 31) % 300000, regions[n % 5 + 1], purposes[n % 6 + 1], signals)
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
