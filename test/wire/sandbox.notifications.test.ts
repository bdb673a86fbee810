/**
 * Notification delivery: a notification counts as delivered only when the Buyer's endpoint answers
 * HTTP 200 with a valid `receivedNotifyFaultReportUpdate` echoing its messageId; otherwise it is
 * retried with back-off, a bounded number of times, one ticket's notifications in order. The
 * control interface can send one twice or out of order, as a real sender sometimes does.
 */
import { issueCertificate } from '../../sandbox';
import { controlCall } from '../support/https';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import type { TestSandbox } from '../support/sandbox';
import { TEST_DELIVERY, raiseFaultReport, startTestSandbox } from '../support/sandbox';

let receiver: Receiver;
let sandbox: TestSandbox;

beforeEach(async () => {
	receiver = await startReceiver();
	sandbox = await startTestSandbox({ notifyUrl: receiver.url });
});
afterEach(async () => {
	await sandbox.stop();
	await receiver.close();
});

async function acceptedTicket(): Promise<string> {
	const ref = await raiseFaultReport(sandbox);
	sandbox.control.setStatus({ ref, status: 'Accepted' });
	return ref;
}

describe('retries', () => {
	it.each([
		['answers HTTP 500', 'status500', 'httpStatus'],
		['acknowledges another messageId', 'wrongMessageId', 'wrongAnswer'],
		['acknowledges with the Rejected response code', 'rejected', 'wrongAnswer'],
		['answers 200 with something that is not XML', 'notXml', 'unreadable'],
	] as const)('retries when the endpoint %s, until it acknowledges', async (_, mode, outcome) => {
		receiver.answer(mode, 2);
		const ref = await acceptedTicket();
		await sandbox.control.idle();
		const [notification] = sandbox.control.notifications({ ref });
		expect(notification.state).toBe('delivered');
		expect(notification.attempts.map((a) => a.outcome)).toEqual([outcome, outcome, 'acknowledged']);
		expect(receiver.received.map((r) => [r.messageId, r.answeredWith])).toEqual([
			[notification.messageId, mode],
			[notification.messageId, mode],
			[notification.messageId, 'ack'],
		]);
		const acks = sandbox.control.acknowledgements({ ref });
		expect(acks.map((a) => a.valid)).toEqual([false, false, true]);
		expect(acks[0].problem).toBeTruthy();
	});

	it('retries while the endpoint is down, and delivers when it comes back', async () => {
		await receiver.goDown();
		const ref = await acceptedTicket();
		while (sandbox.control.notifications({ ref })[0].attempts.length < 2) await new Promise((r) => setTimeout(r, 5));
		const [pending] = sandbox.control.notifications({ ref });
		expect(pending.attempts.length).toBeGreaterThanOrEqual(2);
		expect(pending.attempts.every((a) => a.outcome === 'unreachable' && /ECONNREFUSED/.test(String(a.detail)))).toBe(true);
		await receiver.comeUp();
		await sandbox.control.idle();
		const [delivered] = sandbox.control.notifications({ ref });
		expect(delivered.state).toBe('delivered');
		expect(receiver.acknowledged().map((r) => r.messageId)).toEqual([delivered.messageId]);
	});

	it(`gives up after ${TEST_DELIVERY.attempts} attempts, then delivers the ticket's next notification`, async () => {
		receiver.answer('status500', TEST_DELIVERY.attempts);
		const ref = await acceptedTicket();
		sandbox.control.setStatus({ ref, status: 'In Progress' });
		await sandbox.control.idle();
		const [accepted, inProgress] = sandbox.control.notifications({ ref });
		expect(accepted.state).toBe('failed');
		expect(accepted.attempts).toHaveLength(TEST_DELIVERY.attempts);
		expect(inProgress.state).toBe('delivered');
		expect(sandbox.logs.some((l) => l.includes(accepted.messageId) && l.includes('giving up'))).toBe(true);
	});

	it('backs off: the wait before each retry doubles from the base delay up to the maximum', async () => {
		receiver.answer('status500', 5);
		await acceptedTicket();
		await sandbox.control.idle();
		const [notification] = sandbox.control.notifications();
		expect(TEST_DELIVERY).toMatchObject({ attempts: 6, baseDelayMs: 25, maxDelayMs: 200 });
		expect(notification.attempts.map((a) => [a.outcome, a.retryInMs])).toEqual([
			['httpStatus', 25],
			['httpStatus', 50],
			['httpStatus', 100],
			['httpStatus', 200],
			['httpStatus', 200],
			['acknowledged', undefined],
		]);
	});
});

describe('order and repeats', () => {
	it("delivers one ticket's notifications in order, each held until the one before is acknowledged", async () => {
		receiver.answer('status500', 3);
		const ref = await acceptedTicket();
		sandbox.control.setStatus({ ref, status: 'In Progress' });
		sandbox.control.setStatus({ ref, status: 'Resolved' });
		await sandbox.control.idle();
		expect(receiver.acknowledged().map((r) => r.status)).toEqual(['Accepted', 'In Progress', 'Resolved']);
		expect(receiver.received.map((r) => r.status)).toEqual(['Accepted', 'Accepted', 'Accepted', 'Accepted', 'In Progress', 'Resolved']);
	});

	it('sends the next notification twice with the same messageId when asked', async () => {
		sandbox.control.duplicateNext({ count: 1 });
		const ref = await acceptedTicket();
		await sandbox.control.idle();
		expect(receiver.received.map((r) => [r.status, r.repeat])).toEqual([
			['Accepted', false],
			['Accepted', true],
		]);
		expect(receiver.received[0].messageId).toBe(receiver.received[1].messageId);
		const [original, copy] = sandbox.control.notifications({ ref });
		expect(copy).toMatchObject({ reason: 'duplicate', copyOf: original.id, messageId: original.messageId, state: 'delivered' });
	});

	it('delivers the next notification after the one that follows it when asked (out of order)', async () => {
		sandbox.control.swapNext({});
		const ref = await acceptedTicket();
		await sandbox.control.idle();
		expect(receiver.received).toHaveLength(0);
		expect(sandbox.control.notifications({ ref })[0].state).toBe('held');
		sandbox.control.setStatus({ ref, status: 'In Progress' });
		await sandbox.control.idle();
		expect(receiver.received.map((r) => r.status)).toEqual(['In Progress', 'Accepted']);
		const [inProgressSentAt, acceptedSentAt] = receiver.received.map((r) => Date.parse(String(r.body.sentAt)));
		expect(acceptedSentAt).toBeLessThan(inProgressSentAt);
	});

	it('resends an earlier notification, as a duplicate or as a late update with a fresh messageId', async () => {
		const ref = await acceptedTicket();
		sandbox.control.setStatus({ ref, status: 'In Progress' });
		await sandbox.control.idle();
		const [accepted] = sandbox.control.notifications({ ref });
		const duplicate = sandbox.control.resend({ id: accepted.id });
		const late = sandbox.control.resend({ id: accepted.id, freshMessageId: true });
		await sandbox.control.idle();
		expect(duplicate.messageId).toBe(accepted.messageId);
		expect(late.messageId).not.toBe(accepted.messageId);
		expect(receiver.received.map((r) => [r.status, r.repeat])).toEqual([
			['Accepted', false],
			['In Progress', false],
			['Accepted', true],
			['Accepted', false],
		]);
		expect(receiver.received[3].body.sentAt).toBe(receiver.received[0].body.sentAt);
	});

	it('holds a notification without an endpoint as "noEndpoint", and sends to a URL set later', async () => {
		sandbox.control.setNotifyUrl({ url: '' });
		const ref = await acceptedTicket();
		await sandbox.control.idle();
		expect(sandbox.control.notifications({ ref })[0].state).toBe('noEndpoint');
		sandbox.control.setNotifyUrl({ url: receiver.url });
		sandbox.control.setStatus({ ref, status: 'In Progress' });
		await sandbox.control.idle();
		expect(receiver.received.map((r) => r.status)).toEqual(['In Progress']);
	});
});

describe('waiting for delivery through the control interface', () => {
	it('answers idle with 504 naming the wait while a notification is still retrying, as an answer rather than a sandbox failure', async () => {
		await receiver.goDown();
		await acceptedTicket();
		const waited = await controlCall(sandbox, 'idle', { timeoutMs: 1 });
		expect(waited).toEqual({ status: 504, json: { error: 'Notifications still in delivery after 1 ms' } });
		expect(sandbox.logs.filter((l) => l.startsWith('control idle'))).toEqual([]);
		await receiver.comeUp();
		expect(await controlCall(sandbox, 'idle')).toEqual({ status: 200, json: { idle: true } });
	});
});

describe('an https endpoint', () => {
	it("receives CityFibre's client certificate and is trusted through the sandbox's CA", async () => {
		const endpointCert = issueCertificate({ ca: sandbox.certs.ca, subject: 'buyer-endpoint', usage: 'server', altNames: ['127.0.0.1'] });
		const secure = await startReceiver({ https: { ...endpointCert, ca: sandbox.certs.ca.cert, requestCert: true } });
		try {
			sandbox.control.setNotifyUrl({ url: secure.url });
			await acceptedTicket();
			await sandbox.control.idle();
			expect(secure.acknowledged()).toHaveLength(1);
			expect(secure.received[0].clientCertificate).toBe('CityFibre Sandbox Notifications');
		} finally {
			await secure.close();
		}
	});
});
