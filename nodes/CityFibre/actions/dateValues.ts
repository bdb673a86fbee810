/**
 * Dates as CityFibre needs them, from whatever n8n hands over: the date picker gives a wall time
 * without a zone ("2025-06-02T08:40:00"), an expression such as {{ $now }} gives a zoned ISO text
 * or a date object. CityFibre needs ISO 8601 with a zone, so a wall time is read in the
 * workflow's time zone, as the user meant it. A time of day typed or exported with a one-digit
 * hour ("8:00") gets its leading zero. Text that is not a date is left for the validator to name.
 */

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;
const ZONED = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})T/;
const ONE_DIGIT_HOUR = /^(\d):(\d{2})$/;

function pad(n: number): string {
	return String(Math.abs(n)).padStart(2, '0');
}

/** Minutes `timeZone` is ahead of UTC at `instant` (Europe/London in summer: 60). */
function offsetMinutes(timeZone: string, instant: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
}

function isZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

function offsetText(minutes: number): string {
	if (minutes === 0) return 'Z';
	const sign = minutes < 0 ? '-' : '+';
	return `${sign}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
}

/** A wall time in `timeZone` with its offset written out: "2025-06-02T08:40:00+01:00". */
function zonedWallTime(match: RegExpExecArray, timeZone: string): string {
	const [, y, mo, d, h, mi, s = '00', fraction = ''] = match;
	const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
	const zone = isZone(timeZone) ? timeZone : 'UTC';
	// The offset at the wall time read as UTC is a first guess; the offset at the corrected instant
	// is right except inside a daylight-saving gap, where no wall time exists anyway.
	const guess = offsetMinutes(zone, wall);
	const offset = offsetMinutes(zone, wall - guess * 60000);
	return `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${offsetText(offset)}`;
}

/** Luxon's DateTime (what n8n expressions produce) without depending on luxon. */
function isoOfObject(value: object, method: 'toISO' | 'toISODate'): string | undefined {
	const fn = (value as Record<string, unknown>)[method];
	if (typeof fn !== 'function') return undefined;
	const text: unknown = fn.call(value);
	return typeof text === 'string' ? text : undefined;
}

export function normaliseDateTime(raw: unknown, timeZone: string): unknown {
	if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? String(raw) : raw.toISOString();
	if (typeof raw === 'object' && raw !== null) return isoOfObject(raw, 'toISO') ?? raw;
	if (typeof raw !== 'string') return raw;
	const text = raw.trim();
	if (ZONED.test(text)) return text;
	const match = WALL_TIME.exec(text);
	return match ? zonedWallTime(match, timeZone) : text;
}

/** The calendar day in `timeZone` of an instant. */
function dayIn(instant: Date, timeZone: string): string {
	const zone = isZone(timeZone) ? timeZone : 'UTC';
	// en-CA formats dates as YYYY-MM-DD.
	return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** A date (YYYY-MM-DD); a date-time is cut to its day in the workflow's time zone. */
export function normaliseDate(raw: unknown, timeZone: string): unknown {
	if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? String(raw) : dayIn(raw, timeZone);
	if (typeof raw === 'object' && raw !== null) return isoOfObject(raw, 'toISODate') ?? raw;
	if (typeof raw !== 'string') return raw;
	const text = raw.trim();
	const prefix = DATE_PREFIX.exec(text);
	if (!prefix) return text;
	if (ZONED.test(text)) {
		const instant = new Date(text);
		if (!Number.isNaN(instant.getTime())) return dayIn(instant, timeZone);
	}
	return prefix[1];
}

/** A time of day as HH:MM: "8:00" → "08:00". CityFibre's times have no seconds, so H:MM:SS is left as it is. */
export function normaliseTime(raw: unknown): unknown {
	if (typeof raw !== 'string') return raw;
	const text = raw.trim();
	return text.replace(ONE_DIGIT_HOUR, '0$1:$2');
}
