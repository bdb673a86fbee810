/**
 * Engineer appointments: availability in half-day slots Monday to Saturday, a reservation key for
 * a chosen slot, and a Service Outage ticket's appointment confirmed, cancelled, completed or
 * missed — each change notified and classified by the catalogue as its appointment event.
 */
import { SLOT_WINDOWS } from '../../sandbox';
import { callOperation } from '../support/https';
import type { TestSandbox } from '../support/sandbox';
import { faultReportValues, raiseFaultReport, startTestSandbox, useNotifiedSandbox } from '../support/sandbox';

const ADDRESS = '100023336956';

const { sandbox, receiver, acknowledgedFor } = useNotifiedSandbox();

function tomorrow(sb: TestSandbox): string {
	return new Date(Date.parse(sb.control.clock().now) + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

async function slots(sb: TestSandbox, from: string, address = ADDRESS) {
	const result = await callOperation(
		sb.baseUrl,
		'queryAppointmentAvailability',
		{ addressKey: address, appointmentsFrom: from, appointmentType: 'REPAIR', productName: 'ftthl2r' },
		sb.tls,
	);
	expect(result.status).toBe(200);
	return result.message.body.appointmentSlots as Array<Record<string, string>>;
}

async function reserve(sb: TestSandbox, slot: Record<string, string>, address = ADDRESS) {
	return callOperation(sb.baseUrl, 'reserveAppointment', { appointmentSlot: slot, appointmentType: 'REPAIR', productName: 'ftthl2r', addressKey: address }, sb.tls);
}

/** Reserves the first free slot at a fresh address and raises a Service Outage ticket with its key. */
async function outageWithAppointment(sb: TestSandbox): Promise<{ ref: string; key: string; slot: Record<string, string> }> {
	const address = `UPRN-${Math.random().toString().slice(2, 10)}`;
	const [slot] = await slots(sb, tomorrow(sb), address);
	const reserved = await reserve(sb, slot, address);
	const key = String(reserved.message.body.appointmentReservationKey);
	const ref = await raiseFaultReport(
		sb,
		faultReportValues({ faultDetails: { description: 'Total loss of service', type: 'Service Outage' }, appointment: { appointmentReservationKey: key } }),
	);
	return { ref, key, slot };
}

describe('queryAppointmentAvailability', () => {
	it('offers 08:00–13:00 and 13:00–18:00 slots, Monday to Saturday, from tomorrow on', async () => {
		const sb = sandbox();
		const offered = await slots(sb, '2020-01-01');
		expect(offered.length).toBeGreaterThan(0);
		const days = new Set(offered.map((s) => s.appointmentDate));
		for (const day of days) {
			expect(new Date(`${day}T00:00:00Z`).getUTCDay()).not.toBe(0);
			expect(offered.filter((s) => s.appointmentDate === day).map((s) => [s.appointmentStartTime, s.appointmentEndTime])).toEqual(
				SLOT_WINDOWS.map((w) => [w.start, w.end]),
			);
		}
		const first = new Date(`${tomorrow(sb)}T00:00:00Z`);
		if (first.getUTCDay() === 0) first.setUTCDate(first.getUTCDate() + 1);
		expect(offered[0].appointmentDate).toBe(first.toISOString().slice(0, 10));
	});

	it('answers in the ALA header style, echoing the messageId and correlationId', async () => {
		const sb = sandbox();
		const result = await callOperation(
			sb.baseUrl,
			'queryAppointmentAvailability',
			{ message: { correlationId: 'corr-77' }, addressKey: ADDRESS, appointmentsFrom: tomorrow(sb), appointmentType: 'REPAIR', productName: 'ftthl2r' },
			sb.tls,
		);
		expect(result.message.name).toBe('queryAppointmentAvailabilityResponse');
		expect(result.message.body).toMatchObject({
			message: { messageId: (result.sent.message as Record<string, string>).messageId, correlationId: 'corr-77' },
			buyer: { buyerIdentifier: 'SPDEV1' },
			seller: { sellerIdentifier: 'CITYFIBRE' },
			responseCode: '0',
		});
	});
});

describe('reserveAppointment', () => {
	it('returns a reservation key for an offered slot, and the slot is then no longer offered at that address', async () => {
		const sb = sandbox();
		const address = 'UPRN-RESERVE-1';
		const [first] = await slots(sb, tomorrow(sb), address);
		const result = await reserve(sb, first, address);
		expect(result.message.body).toMatchObject({ appointmentReservationKey: expect.stringMatching(/^RES-\d{6}$/), appointmentSlot: first, responseCode: '0' });
		expect(await slots(sb, tomorrow(sb), address)).not.toContainEqual(first);
		const again = await reserve(sb, first, address);
		expect(again.message.body).toMatchObject({ responseCode: '409' });
	});

	it('refuses a slot that is not a half-day window, a Sunday, or in the past', async () => {
		const sb = sandbox();
		const day = tomorrow(sb);
		const sunday = (() => {
			const d = new Date(`${day}T00:00:00Z`);
			while (d.getUTCDay() !== 0) d.setUTCDate(d.getUTCDate() + 1);
			return d.toISOString().slice(0, 10);
		})();
		const bad = [
			{ appointmentDate: day, appointmentStartTime: '09:00', appointmentEndTime: '11:00' },
			{ appointmentDate: sunday, appointmentStartTime: '08:00', appointmentEndTime: '13:00' },
			{ appointmentDate: '2020-01-06', appointmentStartTime: '08:00', appointmentEndTime: '13:00' },
		];
		const answers = await Promise.all(bad.map((slot) => reserve(sb, slot, 'UPRN-BAD')));
		expect(answers.map((a) => a.message.body.responseCode)).toEqual(['409', '409', '409']);
		expect(answers.map((a) => String(a.message.body.errorMessage))).toEqual([
			expect.stringContaining('is not a slot'),
			expect.stringContaining('is a Sunday'),
			expect.stringContaining('is too early'),
		]);
	});
});

describe("a Service Outage ticket's appointment", () => {
	it('carries the reserved slot, and its confirmation is notified as appointmentConfirmed', async () => {
		const sb = sandbox();
		const { ref, key, slot } = await outageWithAppointment(sb);
		sb.control.setStatus({ ref, status: 'In Progress' });
		sb.control.appointment({ ref, action: 'confirm' });
		await sb.control.idle();
		const [inProgress, confirmed] = acknowledgedFor(ref);
		expect(inProgress.events[0]).toBe('inProgress');
		expect(confirmed.events).toEqual(['appointmentConfirmed', 'inProgress']);
		expect(confirmed.body.appointments).toEqual([{ appointmentReservationKey: key, ...slot, appointmentConfirmationStatus: 'Confirmed' }]);
	});

	it.each([
		['cancel', 'appointmentCancelled', { appointmentCancelled: true }],
		['complete', 'appointmentCompleted', { appointmentClosureCode: 'FR' }],
	] as const)('takes the control action "%s", notified as %s', async (action, event, fields) => {
		const sb = sandbox();
		const { ref } = await outageWithAppointment(sb);
		sb.control.setStatus({ ref, status: 'In Progress' });
		sb.control.appointment({ ref, action: 'confirm' });
		sb.control.appointment({ ref, action });
		await sb.control.idle();
		const last = acknowledgedFor(ref).at(-1);
		expect(last?.events[0]).toBe(event);
		expect((last?.body.appointments as Array<Record<string, unknown>>)[0]).toMatchObject(fields);
	});

	it('takes a closure code, and a missed visit is notified as amended without staying on the ticket', async () => {
		const sb = sandbox();
		const { ref } = await outageWithAppointment(sb);
		sb.control.setStatus({ ref, status: 'In Progress' });
		sb.control.appointment({ ref, action: 'miss', note: 'No access: nobody home' });
		sb.control.appointment({ ref, action: 'complete', closureCode: 'NA' });
		await sb.control.idle();
		const [, missed, completed] = acknowledgedFor(ref);
		expect(missed.events[0]).toBe('amended');
		expect(missed.body.faultDetails).toMatchObject({ missedAppointment: 'No access: nobody home' });
		expect(completed.events[0]).toBe('appointmentCompleted');
		expect(completed.body.faultDetails).not.toHaveProperty('missedAppointment');
		expect((completed.body.appointments as Array<Record<string, unknown>>)[0].appointmentClosureCode).toBe('NA');
	});

	it('is replaced by a new reservation sent with amendFaultReport after a cancellation', async () => {
		const sb = sandbox();
		const { ref } = await outageWithAppointment(sb);
		sb.control.appointment({ ref, action: 'cancel' });
		const address = 'UPRN-REBOOK';
		const [, second] = await slots(sb, tomorrow(sb), address);
		const key = String((await reserve(sb, second, address)).message.body.appointmentReservationKey);
		const amended = await callOperation(sb.baseUrl, 'amendFaultReport', { buyerFaultReference: ref, appointment: { appointmentReservationKey: key } }, sb.tls);
		expect(amended.message.body.responseCode).toBe('0');
		await sb.control.idle();
		const last = acknowledgedFor(ref).at(-1);
		expect(last?.events[0]).toBe('amended');
		expect(last?.body.appointments).toEqual([{ appointmentReservationKey: key, ...second }]);
		expect(sb.control.ticket({ ref }).appointments).toHaveLength(2);
	});

	it('is confirmed once work starts and completed before the fix when tickets move on their own', async () => {
		const own = await startTestSandbox({ notifyUrl: receiver().url, autoProgress: true, holdProbability: 0, clockSpeed: 400_000 });
		try {
			const { ref } = await outageWithAppointment(own);
			await receiver().waitFor(() => acknowledgedFor(ref).some((r) => r.status === 'Closed'), 15_000);
			expect(acknowledgedFor(ref).map((r) => r.events[0])).toEqual([
				'accepted',
				'inProgress',
				'appointmentConfirmed',
				'appointmentCompleted',
				'resolved',
				'closed',
			]);
		} finally {
			await own.stop();
		}
	});

	it('leaves the 48-hour auto-close counting from the resolution when the appointment changes afterwards', async () => {
		const sb = sandbox();
		const { ref } = await outageWithAppointment(sb);
		sb.control.setStatus({ ref, status: 'Resolved' });
		sb.control.advanceClock({ hours: 47 });
		sb.control.appointment({ ref, action: 'complete' });
		sb.control.advanceClock({ hours: 2 });
		expect(sb.control.ticket({ ref }).history.map((h) => `${h.status} (${h.by})`)).toEqual(['Pending (buyer)', 'Resolved (control)', 'Closed (timer)']);
	});

	it('cannot be changed on a ticket without one', async () => {
		const sb = sandbox();
		const ref = await raiseFaultReport(sb);
		expect(() => sb.control.appointment({ ref, action: 'confirm' })).toThrow(/has no appointment/);
	});
});
