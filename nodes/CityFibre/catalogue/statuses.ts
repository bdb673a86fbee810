/**
 * Status spellings vary between CityFibre's examples (`in-progress`, `In Progress`, `Pending`),
 * so inbound statuses are compared ignoring case, spaces, hyphens and underscores (reference §3.1).
 */
import { TICKET_STATUSES } from './fields';

export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * Shortened spellings of the same words, beyond what squashing already covers. Only abbreviations:
 * a different word (e.g. "Completed") could mean something else and stays as CityFibre sent it.
 */
const ALIASES: Readonly<Record<string, TicketStatus>> = {
	hold: 'On Hold',
	reopen: 'Re-Opened',
};

function squash(value: string): string {
	return value.toLowerCase().replace(/[\s_-]+/g, '');
}

const CANONICAL = new Map<string, TicketStatus>(TICKET_STATUSES.map((s) => [squash(s), s]));

/** The canonical status for any spelling, or undefined when the value is not a known status. */
export function normaliseStatus(value: string): TicketStatus | undefined {
	const key = squash(value);
	return CANONICAL.get(key) ?? ALIASES[key];
}

/** Lenient comparison of two status (or other enumerated) values. */
export function sameStatus(a: string, b: string): boolean {
	return squash(a) === squash(b);
}
