import { TICKET_STATUSES, normaliseStatus, sameStatus } from '../../nodes/CityFibre/catalogue';

describe('normaliseStatus', () => {
	it.each(TICKET_STATUSES.map((s) => [s]))('keeps the canonical status %s', (status) => {
		expect(normaliseStatus(status)).toBe(status);
	});

	it.each([
		['in-progress', 'In Progress'],
		['In Progress', 'In Progress'],
		['IN_PROGRESS', 'In Progress'],
		['inprogress', 'In Progress'],
		['InProgress', 'In Progress'],
		['on-hold', 'On Hold'],
		['ON HOLD', 'On Hold'],
		['Reopened', 'Re-Opened'],
		['re-opened', 'Re-Opened'],
		['RE_OPENED', 'Re-Opened'],
		['pending', 'Pending'],
	])('maps %s to %s', (spelling, canonical) => {
		expect(normaliseStatus(spelling)).toBe(canonical);
	});

	it.each([
		['Hold', 'On Hold'],
		['Reopen', 'Re-Opened'],
	])('maps the alias %s to %s', (alias, canonical) => {
		expect(normaliseStatus(alias)).toBe(canonical);
	});

	it.each(['Awaiting Parts', 'Amended', '', 'progress', 'Open', 'Completed'])('does not know "%s"', (value) => {
		expect(normaliseStatus(value)).toBeUndefined();
	});
});

describe('sameStatus', () => {
	it('ignores case, spaces, hyphens and underscores', () => {
		expect(sameStatus('in-progress', 'IN_PROGRESS')).toBe(true);
		expect(sameStatus('On Hold', 'onhold')).toBe(true);
	});

	it('tells different statuses apart', () => {
		expect(sameStatus('Resolved', 'Re-Opened')).toBe(false);
	});
});
