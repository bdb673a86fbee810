/**
 * A ticket's life as the Buyer sees it: every change arrives as a `notifyFaultReportUpdate` at the
 * Buyer's endpoint (a test receiver that acknowledges each with the codec), and the catalogue's
 * `eventsOf` classifies each one as the event it reports.
 */
import { eventsOf } from '../../nodes/CityFibre/catalogue';
import { readMessage } from '../../nodes/CityFibre/codec';
import { callOperation } from '../support/https';
import type { TestSandbox } from '../support/sandbox';
import { raiseFaultReport, startTestSandbox, useNotifiedSandbox } from '../support/sandbox';

const HOUR = 3_600_000;

const { sandbox, receiver, acknowledgedFor } = useNotifiedSandbox();

async function resolveResponse(sb: TestSandbox, ref: string, accepted: boolean, rejectedReason?: string) {
	const ticket = sb.control.ticket({ ref });
	return callOperation(
		sb.baseUrl,
		'resolveResponse',
		{ resolveAccepted: accepted, maintainerFaultReference: ticket.maintainerFaultReference, buyerFaultReference: ref, rejectedReason },
		sb.tls,
	);
}

describe('a full ticket life, driven through the control interface and the Buyer calls', () => {
	it('notifies every step, each acknowledged and classified as its event', async () => {
		const sb = sandbox();
		const ref = await raiseFaultReport(sb);
		const step = async (status: string) => {
			sb.control.setStatus({ ref, status });
			await sb.control.idle();
		};
		await step('Accepted');
		await step('In Progress');
		await step('On Hold');
		await step('In Progress');
		await step('Resolved');
		const rejected = await resolveResponse(sb, ref, false, 'Customer still has no service');
		expect(rejected.message.body).toMatchObject({ responseCode: '0', resolveAccepted: false, buyerFaultReference: ref });
		await sb.control.idle();
		await step('In Progress');
		await step('Resolved');
		const accepted = await resolveResponse(sb, ref, true);
		expect(accepted.message.body).toMatchObject({ responseCode: '0', resolveAccepted: true });
		await sb.control.idle();

		const received = acknowledgedFor(ref);
		expect(received.map((r) => r.status)).toEqual([
			'Accepted',
			'In Progress',
			'On Hold',
			'In Progress',
			'Resolved',
			'Re-Opened',
			'In Progress',
			'Resolved',
			'Closed',
		]);
		expect(received.map((r) => r.events[0])).toEqual([
			'accepted',
			'inProgress',
			'onHold',
			'inProgress',
			'resolved',
			'reOpened',
			'inProgress',
			'resolved',
			'closed',
		]);
		expect(new Set(received.map((r) => r.messageId)).size).toBe(9);
		const reference = sb.control.ticket({ ref }).maintainerFaultReference;
		expect(reference).toMatch(/^CF-\d{6}$/);
		expect(received.every((r) => r.body.maintainerFaultReference === reference)).toBe(true);
		expect(received[5].body.updates).toEqual(
			expect.arrayContaining([expect.objectContaining({ description: 'Resolution rejected by the buyer: Customer still has no service' })]),
		);

		const sent = sb.control.notifications({ ref });
		expect(sent.map((n) => n.state)).toEqual(Array(9).fill('delivered'));
		expect(sent.map((n) => n.events[0])).toEqual(received.map((r) => r.events[0]));
		const acks = sb.control.acknowledgements({ ref });
		expect(acks).toHaveLength(9);
		expect(acks.every((a) => a.valid && a.httpStatus === 200 && a.name === 'receivedNotifyFaultReportUpdate')).toBe(true);
		expect(sb.control.ticket({ ref }).history.map((h) => h.by)).toEqual([
			'buyer',
			'control',
			'control',
			'control',
			'control',
			'control',
			'buyer',
			'control',
			'control',
			'buyer',
		]);
	});

	it('writes each notification so the codec reads it as the catalogue message, with the sandbox header', async () => {
		const sb = sandbox();
		const ref = await raiseFaultReport(sb);
		sb.control.setStatus({ ref, status: 'Accepted' });
		await sb.control.idle();
		const [notification] = acknowledgedFor(ref);
		const read = readMessage(notification.xml);
		expect(read.name).toBe('notifyFaultReportUpdate');
		expect(read.soapVersion).toBe('1.1');
		expect(read.body).toMatchObject({ apiVersion: '1.1', buyerIdentifier: 'SPDEV1', buyerFaultReference: ref, serviceAffected: 'SERVICE-0001' });
		expect(read.body.faultDetails).toMatchObject({ status: 'Accepted', type: 'Impaired Service', triageComplete: true });
		expect(eventsOf(read.body)).toEqual(['accepted']);
	});
});

describe('resolveResponse', () => {
	it('is refused while the ticket is not Resolved, and changes nothing', async () => {
		const sb = sandbox();
		const ref = await raiseFaultReport(sb);
		sb.control.setStatus({ ref, status: 'In Progress' });
		const result = await resolveResponse(sb, ref, true);
		expect(result.status).toBe(200);
		expect(result.message.body).toMatchObject({ responseCode: '409', resolveAccepted: true });
		expect(result.message.body.errorMessage).toContain('is In Progress, not Resolved');
		expect(sb.control.ticket({ ref }).status).toBe('In Progress');
	});
});

describe('amendFaultReport', () => {
	it('is confirmed by a notification classified as amended, carrying the change', async () => {
		const sb = sandbox();
		const ref = await raiseFaultReport(sb);
		sb.control.setStatus({ ref, status: 'In Progress' });
		const result = await callOperation(
			sb.baseUrl,
			'amendFaultReport',
			{ buyerFaultReference: ref, faultDetails: { siteAccessDetails: 'Key safe at the rear door' } },
			sb.tls,
		);
		expect(result.message.body).toMatchObject({ responseCode: '0', buyerFaultReference: ref });
		await sb.control.idle();
		const last = acknowledgedFor(ref).at(-1);
		expect(last?.events).toEqual(['amended', 'inProgress']);
		expect(last?.body.faultDetails).toMatchObject({ siteAccessDetails: 'Key safe at the rear door', status: 'In Progress', description: expect.any(String) });
		expect(sb.control.notifications({ ref }).at(-1)?.reason).toBe('amended');
	});

	it('is refused for a Closed ticket and for a change of service', async () => {
		const sb = sandbox();
		const ref = await raiseFaultReport(sb);
		const otherService = await callOperation(sb.baseUrl, 'amendFaultReport', { buyerFaultReference: ref, serviceAffected: 'SERVICE-0002' }, sb.tls);
		expect(otherService.message.body).toMatchObject({ responseCode: '409' });
		expect(otherService.message.body.errorMessage).toContain("a fault report's service cannot change");
		sb.control.setStatus({ ref, status: 'Closed' });
		const closed = await callOperation(sb.baseUrl, 'amendFaultReport', { buyerFaultReference: ref, faultDetails: { faultLocation: 'Street cabinet' } }, sb.tls);
		expect(closed.message.body).toMatchObject({ responseCode: '409' });
		expect(closed.message.body.errorMessage).toContain('is Closed and can no longer be amended');
	});
});

describe('requestFaultReportUpdate', () => {
	it('sends the current state in full as a fresh notification', async () => {
		const sb = sandbox();
		const ref = await raiseFaultReport(sb);
		sb.control.setStatus({ ref, status: 'Accepted' });
		sb.control.setStatus({ ref, status: 'On Hold', note: 'Waiting for the end user to confirm access' });
		await sb.control.idle();
		const before = acknowledgedFor(ref).length;
		const ticket = sb.control.ticket({ ref });
		const result = await callOperation(
			sb.baseUrl,
			'requestFaultReportUpdate',
			{ buyerFaultReference: ref, maintainerFaultReference: ticket.maintainerFaultReference },
			sb.tls,
		);
		expect(result.message.body).toMatchObject({ responseCode: '0', buyerFaultReference: ref });
		await sb.control.idle();
		const received = acknowledgedFor(ref);
		expect(received).toHaveLength(before + 1);
		const update = received[received.length - 1];
		expect(update.events[0]).toBe('onHold');
		expect(update.body).toMatchObject({ maintainerFaultReference: ticket.maintainerFaultReference, reportDateTime: '2025-06-02T08:40:00Z' });
		expect(update.body.updates).toEqual(ticket.updates);
		expect(update.messageId).not.toBe(received[received.length - 2].messageId);
		expect(sb.control.notifications({ ref }).at(-1)?.reason).toBe('fullUpdate');
	});
});

describe('on its own clock', () => {
	it('moves Pending → Accepted → In Progress → On Hold → In Progress → Resolved, then closes after 48 simulated hours', async () => {
		const own = await startTestSandbox({ notifyUrl: receiver().url, autoProgress: true, holdProbability: 1, clockSpeed: 400_000 });
		try {
			const ref = await raiseFaultReport(own);
			await receiver().waitFor(() => acknowledgedFor(ref).some((r) => r.status === 'Closed'), 15_000);
			const received = acknowledgedFor(ref);
			expect(received.map((r) => r.events[0])).toEqual(['accepted', 'inProgress', 'onHold', 'inProgress', 'resolved', 'closed']);
			const ticket = own.control.ticket({ ref });
			const resolved = ticket.history.find((h) => h.status === 'Resolved');
			const closed = ticket.history.find((h) => h.status === 'Closed');
			expect(closed?.by).toBe('timer');
			expect(Date.parse(String(closed?.at)) - Date.parse(String(resolved?.at))).toBeGreaterThanOrEqual(48 * HOUR);
			expect(received.at(-1)?.body.updates).toEqual(
				expect.arrayContaining([expect.objectContaining({ description: 'Closed automatically: no answer to the resolution within 48 hours' })]),
			);
		} finally {
			await own.stop();
		}
	});

	it('skips On Hold when the draw says so, and draws the same way again with the same seed', async () => {
		const draws = async () => {
			const own = await startTestSandbox({ autoProgress: true, holdProbability: 0.5, seed: 42, clockSpeed: 400_000, timings: { autoClose: HOUR } });
			try {
				const refs: string[] = [];
				for (let i = 0; i < 6; i++) {
					const ref = await raiseFaultReport(own);
					refs.push(ref);
					// One at a time, so the draws happen in the same order on both runs.
					while (own.control.ticket({ ref }).status !== 'Closed') await new Promise((r) => setTimeout(r, 5));
				}
				return refs.map((ref) => own.control.ticket({ ref }).history.some((h) => h.status === 'On Hold'));
			} finally {
				await own.stop();
			}
		};
		const first = await draws();
		expect(first).toContain(true);
		expect(first).toContain(false);
		expect(await draws()).toEqual(first);
	});

	it('closes a Resolved ticket after 48 simulated hours when tickets only move by hand', async () => {
		const own = await startTestSandbox({ notifyUrl: receiver().url, clockSpeed: 400_000 });
		try {
			const ref = await raiseFaultReport(own);
			own.control.setStatus({ ref, status: 'Resolved' });
			await receiver().waitFor(() => acknowledgedFor(ref).some((r) => r.status === 'Closed'), 10_000);
			expect(acknowledgedFor(ref).map((r) => r.events[0])).toEqual(['resolved', 'closed']);
		} finally {
			await own.stop();
		}
	});

	it('does not close again after the Buyer accepted in time', async () => {
		const sb = sandbox();
		const ref = await raiseFaultReport(sb);
		sb.control.setStatus({ ref, status: 'Resolved' });
		await resolveResponse(sb, ref, true);
		sb.control.advanceClock({ hours: 49 });
		await sb.control.idle();
		expect(sb.control.ticket({ ref }).history.map((h) => h.status)).toEqual(['Pending', 'Resolved', 'Closed']);
		expect(sb.control.ticket({ ref }).next).toBeUndefined();
	});
});
