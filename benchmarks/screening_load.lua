-- wrk script: POST contract-v1 screenings as a county's banks would send them, replaying a simulated
-- county month (BENCH_REQUESTS, `pingan antifraud simulate`'s requests.jsonl) in time order from line START,
-- each request with a fresh request_id (RUN_TAG-n) and the API key of its own bank (BENCH_KEYS,
-- "TZB=key,HYRCB=key,...").
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

local rate = tonumber(os.getenv("RATE") or "0")
local run = os.getenv("RUN_TAG") or "r"
local next_at = nil
local bodies, keys = {}, {}
local position, counter = 0, 0

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    bodies[#bodies + 1] = line
  end
  for bank, key in string.gmatch(os.getenv("BENCH_KEYS"), "([^=,]+)=([^,]+)") do
    keys[bank] = "Bearer " .. key
  end
  position = tonumber(os.getenv("START") or "0") % #bodies
end

function request()
  counter = counter + 1
  position = position % #bodies + 1
  local line = bodies[position]
  local body = string.gsub(line, '"request_id":"[^"]*"', '"request_id":"' .. run .. "-" .. counter .. '"', 1)
  local bank = string.match(line, '"bank_code":"([^"]*)"')
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = keys[bank]}, body)
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
