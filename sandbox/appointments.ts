/**
 * Engineer appointments as the sandbox offers them: half-day slots, 08:00–13:00 and 13:00–18:00,
 * Monday to Saturday (reference §4.3), from the day after "today" on the simulated clock. Dates
 * are calendar days in UTC: the sandbox does not model UK local time.
 */

export interface Slot {
	appointmentDate: string;
	appointmentStartTime: string;
	appointmentEndTime: string;
}

export const SLOT_WINDOWS: ReadonlyArray<{ start: string; end: string }> = [
	{ start: '08:00', end: '13:00' },
	{ start: '13:00', end: '18:00' },
];

/** How many calendar days one availability query covers. */
export const AVAILABILITY_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Reservation {
	appointmentReservationKey: string;
	buyerIdentifier: string;
	addressKey: string;
	slot: Slot;
	/** Simulated time, ISO 8601. */
	reservedAt: string;
	/** Simulated time, ms since the epoch, after which the key is no longer accepted. */
	expiresAt: number;
	/** The ticket that used the key (a key books one ticket's visit). */
	usedBy?: string;
}

function dayOf(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

function dayStart(date: string): number {
	return Date.parse(`${date}T00:00:00Z`);
}

function isWorkingDay(date: string): boolean {
	return new Date(dayStart(date)).getUTCDay() !== 0;
}

/** The first day an engineer can come: tomorrow on the simulated clock. */
export function firstBookableDay(now: number): string {
	return dayOf(now + DAY_MS);
}

/** Slots from `from` (or the first bookable day, if later) over AVAILABILITY_DAYS days, minus `taken`. */
export function availableSlots(from: string, now: number, taken: (slot: Slot) => boolean = () => false): Slot[] {
	const first = Math.max(dayStart(from), dayStart(firstBookableDay(now)));
	const slots: Slot[] = [];
	for (let day = 0; day < AVAILABILITY_DAYS; day++) {
		const date = dayOf(first + day * DAY_MS);
		if (!isWorkingDay(date)) continue;
		for (const window of SLOT_WINDOWS) {
			const slot = { appointmentDate: date, appointmentStartTime: window.start, appointmentEndTime: window.end };
			if (!taken(slot)) slots.push(slot);
		}
	}
	return slots;
}

/** Why a requested slot cannot be reserved, or undefined when it can. */
export function slotProblem(slot: Slot, now: number): string | undefined {
	const window = SLOT_WINDOWS.find((w) => w.start === slot.appointmentStartTime.slice(0, 5) && w.end === slot.appointmentEndTime.slice(0, 5));
	if (!window) {
		return `${slot.appointmentStartTime}–${slot.appointmentEndTime} is not a slot: slots are ${SLOT_WINDOWS.map((w) => `${w.start}–${w.end}`).join(' and ')}`;
	}
	if (!isWorkingDay(slot.appointmentDate)) return `${slot.appointmentDate} is a Sunday: appointments are Monday to Saturday`;
	if (slot.appointmentDate < firstBookableDay(now)) return `${slot.appointmentDate} is too early: the first bookable day is ${firstBookableDay(now)}`;
	return undefined;
}

export function sameSlot(a: Slot, b: Slot): boolean {
	return (
		a.appointmentDate === b.appointmentDate &&
		a.appointmentStartTime.slice(0, 5) === b.appointmentStartTime.slice(0, 5) &&
		a.appointmentEndTime.slice(0, 5) === b.appointmentEndTime.slice(0, 5)
	);
}
