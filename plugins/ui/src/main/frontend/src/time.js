// Durations (Prometheus style: 1d2h30m15s, 500ms) and times (Unix seconds or RFC 3339).

const UNITS = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

/** Seconds in a duration such as "1h30m", or a plain number of seconds; NaN when invalid. */
export function parseDuration(text) {
  const s = String(text ?? '').trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    return Number(s);
  }
  const re = /(\d+)(ms|y|w|d|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  let m;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  return matched === s.length && s.length > 0 ? total : NaN;
}

/** "1h30m" for 5400 seconds. */
export function formatDuration(seconds) {
  if (!(seconds > 0)) {
    return '0s';
  }
  let rest = seconds;
  let out = '';
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]]) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      out += n + unit;
      rest -= n * size;
    }
  }
  if (rest > 0) {
    out += Math.round(rest * 1000) + 'ms';
  }
  return out;
}

/**
 * Unix seconds for "" (now), a number of Unix seconds, an RFC 3339 time, or "YYYY-MM-DD HH:MM[:SS]"
 * in UTC (the form of Prometheus's graph links); NaN when invalid.
 */
export function parseTime(text) {
  const s = String(text ?? '').trim();
  if (s === '') {
    return Date.now() / 1000;
  }
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    return Number(s);
  }
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) {
    const ms = Date.parse(s.replace(' ', 'T') + 'Z');
    return Number.isNaN(ms) ? NaN : ms / 1000;
  }
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? NaN : ms / 1000;
}

/** RFC 3339 in UTC for Unix seconds. */
export function formatTime(seconds) {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 for Unix milliseconds, with the int64 sentinels shown as infinities. */
export function formatMillis(ms) {
  if (ms === undefined || ms === null) {
    return '';
  }
  if (ms <= -8.64e15) {
    return '-∞';
  }
  if (ms >= 8.64e15) {
    return '+∞';
  }
  return new Date(ms).toISOString();
}
