/**
 * `stateFile`: tickets, references, reservations, notifications still to deliver and scheduled
 * steps survive a restart; a damaged state file is refused with a clear message, not overwritten.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox } from '../../sandbox';
import { callOperation } from '../support/https';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import { faultReportValues, raiseFaultReport, startTestSandbox, testCertsDir } from '../support/sandbox';

let dir: string;
let stateFile: string;
let receiver: Receiver;

beforeEach(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityfibre-state-'));
	stateFile = path.join(dir, 'state.json');
	receiver = await startReceiver();
});
afterEach(async () => {
	await receiver.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('across a restart', () => {
	it('keeps tickets, their references and history, and keeps counting references on', async () => {
		const first = await startTestSandbox({ stateFile, notifyUrl: receiver.url });
		const ref = await raiseFaultReport(first);
		first.control.setStatus({ ref, status: 'Accepted' });
		first.control.setStatus({ ref, status: 'On Hold', note: 'Waiting for access' });
		await first.control.idle();
		const before = first.control.ticket({ ref });
		await first.stop();

		const second = await startTestSandbox({ stateFile, notifyUrl: receiver.url });
		try {
			expect(second.control.ticket({ ref })).toEqual(before);
			const duplicate = await callOperation(second.baseUrl, 'addFaultReport', faultReportValues({ buyerFaultReference: ref }), second.tls);
			expect(duplicate.message.body).toMatchObject({ status: 'Rejected', responseCode: '409' });
			const next = await raiseFaultReport(second);
			expect(second.control.setStatus({ ref: next, status: 'Accepted' }).maintainerFaultReference).toBe('CF-000002');
			expect(second.control.notifications({ ref }).map((n) => n.state)).toEqual(['delivered', 'delivered']);
		} finally {
			await second.stop();
		}
	});

	it('keeps reservations and added service IDs', async () => {
		const first = await startTestSandbox({ stateFile });
		first.control.addServices({ serviceIds: ['KEPT-SVC-9'] });
		const day = new Date(Date.parse(first.control.clock().now) + 2 * 86_400_000);
		if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
		const reserved = await callOperation(
			first.baseUrl,
			'reserveAppointment',
			{
				appointmentSlot: { appointmentDate: day.toISOString().slice(0, 10), appointmentStartTime: '08:00', appointmentEndTime: '13:00' },
				appointmentType: 'REPAIR',
				productName: 'ftthl2r',
				addressKey: 'UPRN-KEPT',
			},
			first.tls,
		);
		await first.stop();

		const second = await startTestSandbox({ stateFile });
		try {
			expect(second.control.services()).toContain('KEPT-SVC-9');
			const key = String(reserved.message.body.appointmentReservationKey);
			await raiseFaultReport(
				second,
				faultReportValues({
					serviceAffected: 'KEPT-SVC-9',
					faultDetails: { description: 'Total loss of service', type: 'Service Outage' },
					appointment: { appointmentReservationKey: key },
				}),
			);
			expect(second.control.reservations().find((r) => r.appointmentReservationKey === key)?.usedBy).toMatch(/^ISP-FLT-/);
		} finally {
			await second.stop();
		}
	});

	it('delivers after the restart a notification the endpoint did not take before it', async () => {
		await receiver.goDown();
		const first = await startTestSandbox({ stateFile, notifyUrl: receiver.url, delivery: { attempts: 50, baseDelayMs: 1_000, maxDelayMs: 1_000 } });
		const ref = await raiseFaultReport(first);
		first.control.setStatus({ ref, status: 'Accepted' });
		await receiver.waitFor(() => false, 100).catch(() => undefined);
		await first.stop();
		await receiver.comeUp();

		const second = await startTestSandbox({ stateFile, notifyUrl: receiver.url });
		try {
			await second.control.idle();
			const [notification] = second.control.notifications({ ref });
			expect(notification.state).toBe('delivered');
			expect(notification.attempts[0].outcome).toBe('unreachable');
			expect(receiver.acknowledged().map((r) => r.messageId)).toEqual([notification.messageId]);
		} finally {
			await second.stop();
		}
	});

	it('keeps the 48-hour auto-close of a Resolved ticket running', async () => {
		const first = await startTestSandbox({ stateFile });
		const ref = await raiseFaultReport(first);
		first.control.setStatus({ ref, status: 'Resolved' });
		const due = first.control.ticket({ ref }).next;
		expect(due?.action).toBe('autoClose');
		await first.stop();

		const second = await startTestSandbox({ stateFile });
		try {
			expect(second.control.ticket({ ref }).next).toEqual(due);
			second.control.advanceClock({ hours: 48 });
			expect(second.control.ticket({ ref }).status).toBe('Closed');
		} finally {
			await second.stop();
		}
	});
});

describe('a damaged state file', () => {
	it('stops the start with a message naming the file, and leaves the file alone', async () => {
		fs.writeFileSync(stateFile, '{ not json');
		await expect(startSandbox({ certsDir: testCertsDir(), stateFile })).rejects.toThrow(`The state file ${stateFile} is not valid JSON`);
		expect(fs.readFileSync(stateFile, 'utf8')).toBe('{ not json');
	});

	it('is replaced atomically: no temporary file is left beside it', async () => {
		const sb = await startTestSandbox({ stateFile });
		await raiseFaultReport(sb);
		await sb.stop();
		expect(fs.readdirSync(dir)).toEqual(['state.json']);
		expect(JSON.parse(fs.readFileSync(stateFile, 'utf8'))).toMatchObject({ version: 1, tickets: [expect.objectContaining({ status: 'Pending' })] });
	});
});
