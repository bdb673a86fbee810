/**
 * The trigger's `webhook()` driven by real HTTP requests on 127.0.0.1 (test/support/webhookContext):
 * what CityFibre gets back, byte for byte where it matters, and what the workflow receives.
 */
import { gzipSync } from 'node:zlib';

import type { IDataObject } from 'n8n-workflow';

import { ALL_EVENT_OPTIONS, DEFAULT_API_VERSION } from '../../nodes/CityFibre/catalogue';
import { readMessage } from '../../nodes/CityFibre/codec';
import { CityFibreTicketingTrigger } from '../../nodes/CityFibre/CityFibreTicketingTrigger.node';
import type { Delivery, HarnessOptions, WebhookHarness } from '../support/webhookContext';
import { manyElements } from '../support/hostileDocuments';
import { startWebhookHarness } from '../support/webhookContext';
import { BUYER, EVENT_CASES, notificationXml } from './trigger.notifications';

const NOW = '2025-06-02T11:20:01.000Z';
const SOAP_ACK_TYPE = 'text/xml; charset=utf-8';

// Date alone is frozen (the acknowledgement's sentAt); sockets and timers stay real.
beforeAll(() => {
	jest.useFakeTimers({
		now: new Date(NOW),
		doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'],
	});
});
afterAll(() => jest.useRealTimers());

const open: WebhookHarness[] = [];
let workflows = 0;
afterEach(async () => {
	await Promise.all(open.splice(0).map((h) => h.close()));
});

/** A trigger in its own workflow (so the in-process repeat memory starts empty), buyer SPDEV1. */
async function trigger(options: HarnessOptions = {}): Promise<WebhookHarness> {
	const harness = await startWebhookHarness(new CityFibreTicketingTrigger(), {
		workflowId: `workflow-${++workflows}`,
		...options,
		parameters: { buyerIdentifierSource: 'parameter', buyerIdentifier: BUYER, ...options.parameters },
	});
	open.push(harness);
	return harness;
}

function ackOf(delivery: Delivery): Record<string, unknown> {
	expect(delivery.headers['content-type']).toBe(SOAP_ACK_TYPE);
	const read = readMessage(delivery.body);
	expect(read.soapVersion).toBe('1.1');
	expect(read.name).toBe('receivedNotifyFaultReportUpdate');
	return read.body;
}

function itemOf(delivery: Delivery): IDataObject | undefined {
	return delivery.result?.workflowData?.[0]?.[0]?.json;
}

function expectRejected(delivery: Delivery, httpStatus: number, errorMessage: string | RegExp, messageId?: string): void {
	expect(delivery.error).toBeUndefined();
	expect(delivery.status).toBe(httpStatus);
	const ack = ackOf(delivery);
	const expected: Record<string, unknown> = { apiVersion: DEFAULT_API_VERSION, buyerIdentifier: BUYER, sentAt: NOW, responseCode: '400' };
	if (messageId !== undefined) expected.messageId = messageId;
	expect(ack).toEqual({ ...expected, errorMessage: expect.anything() });
	if (typeof errorMessage === 'string') expect(ack.errorMessage).toBe(errorMessage);
	else expect(ack.errorMessage).toMatch(errorMessage);
	expect(delivery.result).toEqual({ noWebhookResponse: true });
}

function expectStarted(delivery: Delivery, messageId = 'CF-MSG-0001'): IDataObject {
	expect(delivery.error).toBeUndefined();
	expect(delivery.status).toBe(200);
	expect(ackOf(delivery)).toEqual({ apiVersion: DEFAULT_API_VERSION, buyerIdentifier: BUYER, sentAt: NOW, messageId, responseCode: '200' });
	expect(delivery.result?.noWebhookResponse).toBe(true);
	expect(delivery.result?.workflowData).toHaveLength(1);
	expect(delivery.result?.workflowData?.[0]).toHaveLength(1);
	return itemOf(delivery)!;
}

function expectAcknowledgedNotStarted(delivery: Delivery, messageId = 'CF-MSG-0001'): void {
	expect(delivery.status).toBe(200);
	expect(ackOf(delivery)).toEqual({ apiVersion: DEFAULT_API_VERSION, buyerIdentifier: BUYER, sentAt: NOW, messageId, responseCode: '200' });
	expect(delivery.result).toEqual({ noWebhookResponse: true });
}

describe('a valid notification', () => {
	it('is answered with exactly this SOAP acknowledgement', async () => {
		const delivery = await (await trigger()).send(notificationXml());
		expect(delivery.status).toBe(200);
		expect(delivery.headers['content-type']).toBe(SOAP_ACK_TYPE);
		expect(delivery.body).toBe(
			'<?xml version="1.0" encoding="UTF-8"?>' +
				'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
				'<receivedNotifyFaultReportUpdate>' +
				`<apiVersion>1.1</apiVersion><buyerIdentifier>SPDEV1</buyerIdentifier><sentAt>${NOW}</sentAt>` +
				'<messageId>CF-MSG-0001</messageId><responseCode>200</responseCode>' +
				'</receivedNotifyFaultReportUpdate></soap:Body></soap:Envelope>',
		);
	});

	it.each(EVENT_CASES)('is classified $event, acknowledged and starts the workflow', async ({ event, events, values }) => {
		const harness = await trigger();
		const item = expectStarted(await harness.send(notificationXml(values)));
		expect(item.event).toBe(event);
		expect(item.events).toEqual(events);
	});

	it('has a test case for every event a user can choose', () => {
		expect(EVENT_CASES.map((c) => c.event).sort()).toEqual(ALL_EVENT_OPTIONS.map((o) => o.value).sort());
	});

	it('gives the workflow flat, mappable fields and the whole parsed notification', async () => {
		const values = EVENT_CASES.find((c) => c.event === 'appointmentConfirmed')!.values;
		const item = expectStarted(await (await trigger()).send(notificationXml(values)));
		expect(item).toEqual({
			event: 'appointmentConfirmed',
			events: ['appointmentConfirmed', 'inProgress'],
			status: 'In Progress',
			statusOriginal: 'In Progress',
			buyerFaultReference: 'ISP-FLT-100234',
			maintainerFaultReference: 'CF-REF-7788',
			serviceAffected: 'SERVICE-0001',
			latestUpdateText: 'Engineer assigned',
			latestUpdateTime: '2025-06-02T11:18:00Z',
			latestUpdateBy: 'CityFibre NOC',
			appointmentDate: '2025-06-03',
			appointmentSlot: '08:00-13:00',
			appointmentStartTime: '08:00',
			appointmentEndTime: '13:00',
			appointmentStatus: 'Confirmed',
			appointmentClosureCode: '',
			appointmentCancelled: null,
			sentAt: '2025-06-02T11:20:00Z',
			messageId: 'CF-MSG-0001',
			buyerIdentifier: 'SPDEV1',
			dedupeKey: 'SPDEV1:CF-MSG-0001',
			notification: {
				apiVersion: '1.1',
				buyerIdentifier: 'SPDEV1',
				sentAt: '2025-06-02T11:20:00Z',
				messageId: 'CF-MSG-0001',
				reportDateTime: '2025-06-02T08:40:00Z',
				serviceAffected: 'SERVICE-0001',
				buyerFaultReference: 'ISP-FLT-100234',
				maintainerFaultReference: 'CF-REF-7788',
				faultDetails: { description: 'No connectivity since 07:30', type: 'Service Outage', status: 'In Progress' },
				updates: [{ description: 'Engineer assigned', updatedBy: 'CityFibre NOC', updatedTime: '2025-06-02T11:18:00Z' }],
				appointments: [
					{
						appointmentReservationKey: 'RES-7788',
						appointmentDate: '2025-06-03',
						appointmentStartTime: '08:00',
						appointmentEndTime: '13:00',
						appointmentConfirmationStatus: 'Confirmed',
					},
				],
			},
		});
	});

	it('reports the cancelled flag and closure code of the appointment', async () => {
		const harness = await trigger();
		const cancelled = expectStarted(await harness.send(notificationXml({ ...EVENT_CASES.find((c) => c.event === 'appointmentCancelled')!.values, messageId: 'CF-1' })), 'CF-1');
		expect(cancelled.appointmentCancelled).toBe(true);
		const completed = expectStarted(await harness.send(notificationXml({ ...EVENT_CASES.find((c) => c.event === 'appointmentCompleted')!.values, messageId: 'CF-2' })), 'CF-2');
		expect(completed).toMatchObject({ appointmentCancelled: false, appointmentClosureCode: 'FR' });
	});

	it("keeps CityFibre's own spelling of the status beside the normalised one", async () => {
		const item = expectStarted(await (await trigger()).send(notificationXml({ faultDetails: { status: 'in-progress' } })));
		expect(item).toMatchObject({ event: 'inProgress', status: 'In Progress', statusOriginal: 'in-progress' });
	});

	it('takes the latest update by time, not by position', async () => {
		const updates = [
			{ description: 'Later note', updatedBy: 'NOC', updatedTime: '2025-06-02T12:00:00Z' },
			{ description: 'Earlier note', updatedBy: 'NOC', updatedTime: '2025-06-02T09:00:00Z' },
		];
		const item = expectStarted(await (await trigger()).send(notificationXml({ updates })));
		expect(item).toMatchObject({ latestUpdateText: 'Later note', latestUpdateTime: '2025-06-02T12:00:00Z' });
	});

	it('gives empty text, not undefined, for what the notification leaves out', async () => {
		const xml = notificationXml({ maintainerFaultReference: '', updates: [], sentAt: '' });
		const item = expectStarted(await (await trigger()).send(xml));
		expect(item).toMatchObject({ maintainerFaultReference: '', latestUpdateText: '', latestUpdateTime: '', latestUpdateBy: '', appointmentDate: '', appointmentSlot: '', sentAt: '' });
	});

	it('adds the exact bytes received as rawXml when asked', async () => {
		const xml = notificationXml();
		const item = expectStarted(await (await trigger({ parameters: { options: { includeRawXml: true } } })).send(xml));
		expect(item.rawXml).toBe(xml);
	});

	it('leaves rawXml out unless asked', async () => {
		const item = expectStarted(await (await trigger()).send(notificationXml()));
		expect(item).not.toHaveProperty('rawXml');
	});

	it.each(['application/xml', 'application/soap+xml; charset=utf-8', 'text/xml'])('is read when sent as %s', async (type) => {
		expectStarted(await (await trigger()).send(notificationXml(), { headers: { 'Content-Type': type } }));
	});

	it('is read when sent without a Content-Type', async () => {
		expectStarted(await (await trigger()).send(notificationXml(), { headers: { 'Content-Type': undefined } }));
	});

	it('is read without a SOAP envelope, as in CityFibre\'s own examples', async () => {
		const bare = notificationXml().replace(/^.*<soap:Body>/, '').replace(/<\/soap:Body>.*$/, '');
		expect(bare.startsWith('<notifyFaultReportUpdate>')).toBe(true);
		expectStarted(await (await trigger()).send(bare));
	});

	it('is read from a SOAP 1.2 envelope, and answered in SOAP 1.1 like every other', async () => {
		const body = notificationXml().replace(/^.*<soap:Body>/, '').replace(/<\/soap:Body>.*$/, '');
		const soap12 = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>${body}</env:Body></env:Envelope>`;
		expectStarted(await (await trigger()).send(soap12, { headers: { 'Content-Type': 'application/soap+xml;charset=UTF-8;action="notifyFaultReportUpdate"' } }));
	});

	it('is read with every element namespace-prefixed and a SOAP Header, as a JAX-WS sender writes it', async () => {
		const values = EVENT_CASES.find((c) => c.event === 'appointmentConfirmed')!.values;
		const body = notificationXml(values).replace(/^.*<soap:Body>/, '').replace(/<\/soap:Body>.*$/, '').replace(/<(\/?)([A-Za-z]+)/g, '<$1ns2:$2');
		const jaxws =
			"<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns2=\"http://www.cityfibre.com/ticketing\">" +
			`<S:Header/><S:Body>${body}</S:Body></S:Envelope>`;
		const item = expectStarted(await (await trigger()).send(jaxws));
		expect(item).toMatchObject({ event: 'appointmentConfirmed', appointmentStatus: 'Confirmed', latestUpdateText: 'Engineer assigned', buyerFaultReference: 'ISP-FLT-100234' });
	});

	it('is read from the exact bytes when n8n did not read the body first (readRawBody)', async () => {
		expectStarted(await (await trigger({ preRead: false })).send(notificationXml()));
	});

	it('is read from the bytes n8n un-gzipped', async () => {
		const delivery = await (await trigger()).send(gzipSync(Buffer.from(notificationXml())), { headers: { 'Content-Encoding': 'gzip' } });
		expectStarted(delivery);
	});

	it('is read in the encoding its XML declaration names when the Content-Type names none', async () => {
		const xml = notificationXml({ updates: [{ description: 'Zugang über Hof, café', updatedTime: '2025-06-02T11:18:00Z' }] }).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
		const harness = await trigger({ parameters: { options: { includeRawXml: true } } });
		const item = expectStarted(await harness.send(Buffer.from(xml, 'latin1'), { headers: { 'Content-Type': 'text/xml' } }));
		expect(item.latestUpdateText).toBe('Zugang über Hof, café');
		expect(item.rawXml).toBe(xml);
	});

	it('is read in the charset its Content-Type names', async () => {
		const xml = notificationXml({ updates: [{ description: 'Zugang über Hof', updatedTime: '2025-06-02T11:18:00Z' }] });
		const delivery = await (await trigger()).send(Buffer.from(xml, 'latin1'), { headers: { 'Content-Type': 'text/xml; charset=latin1' } });
		expect(expectStarted(delivery).latestUpdateText).toBe('Zugang über Hof');
	});

	it('is read as UTF-16 when it starts with a UTF-16 byte-order mark', async () => {
		const xml = notificationXml({ updates: [{ description: 'Zugang über Hof', updatedTime: '2025-06-02T11:18:00Z' }] }).replace('UTF-8', 'UTF-16');
		const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
		const delivery = await (await trigger()).send(body, { headers: { 'Content-Type': 'text/xml; charset=utf-16le' } });
		expect(expectStarted(delivery).latestUpdateText).toBe('Zugang über Hof');
	});

	it('leaves a UTF-8 byte-order mark out of rawXml', async () => {
		const xml = notificationXml();
		const harness = await trigger({ parameters: { options: { includeRawXml: true } } });
		const item = expectStarted(await harness.send(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)])));
		expect(item.rawXml).toBe(xml);
	});

	it('keeps non-ASCII text intact', async () => {
		const item = expectStarted(await (await trigger()).send(notificationXml({ updates: [{ description: 'Zugang über Hof – café', updatedTime: '2025-06-02T11:18:00Z' }] })));
		expect(item.latestUpdateText).toBe('Zugang über Hof – café');
	});

	it('accepts the buyer identifier in another letter case', async () => {
		expectStarted(await (await trigger()).send(notificationXml({ buyerIdentifier: 'spdev1' })));
	});

	it('records a debug line in n8n\'s log', async () => {
		const harness = await trigger();
		await harness.send(notificationXml());
		expect(harness.logs).toEqual([
			{
				level: 'debug',
				message: 'CityFibre notification acknowledged: workflow started',
				meta: expect.objectContaining({ messageId: 'CF-MSG-0001', events: 'inProgress', httpStatus: 200, nodeName: 'CityFibre Ticketing Trigger' }),
			},
		]);
	});
});

describe('the Events filter', () => {
	it('acknowledges a notification of an event not chosen without starting the workflow', async () => {
		const harness = await trigger({ parameters: { events: ['resolved', 'closed'] } });
		expectAcknowledgedNotStarted(await harness.send(notificationXml()));
		expect(harness.logs[0]).toMatchObject({ level: 'debug', message: expect.stringContaining('no chosen event') });
	});

	it('starts the workflow for a chosen event', async () => {
		const harness = await trigger({ parameters: { events: ['resolved', 'closed'] } });
		const resolved = EVENT_CASES.find((c) => c.event === 'resolved')!.values;
		expect(expectStarted(await harness.send(notificationXml(resolved))).event).toBe('resolved');
	});

	it('starts the workflow when any of the notification\'s events is chosen, not only its main one', async () => {
		const harness = await trigger({ parameters: { events: ['appointmentConfirmed'] } });
		const cancelled = EVENT_CASES.find((c) => c.event === 'appointmentCancelled')!.values;
		expect(expectStarted(await harness.send(notificationXml(cancelled))).event).toBe('appointmentCancelled');
	});

	it('treats an empty selection as every event, so nothing is dropped silently', async () => {
		expectStarted(await (await trigger({ parameters: { events: [] } })).send(notificationXml()));
	});
});

describe('the buyer identifier', () => {
	it('comes from the CityFibre credential by default, with its API version', async () => {
		const harness = await trigger({
			parameters: { buyerIdentifierSource: 'credential', buyerIdentifier: '' },
			credentials: { cityFibreTicketingApi: { buyerIdentifier: 'SPDEV1', apiVersion: '1.0', environment: 'cfSit' } },
		});
		const delivery = await harness.send(notificationXml());
		expect(delivery.status).toBe(200);
		expect(ackOf(delivery)).toMatchObject({ apiVersion: '1.0', buyerIdentifier: 'SPDEV1', responseCode: '200' });
		expect(itemOf(delivery)?.dedupeKey).toBe('SPDEV1:CF-MSG-0001');
	});

	it('refuses with 500 while no credential is selected, and logs why', async () => {
		const harness = await trigger({ parameters: { buyerIdentifierSource: 'credential' } });
		const delivery = await harness.send(notificationXml());
		expect(delivery.status).toBe(500);
		expect(readMessage(delivery.body).body).toEqual({
			apiVersion: DEFAULT_API_VERSION,
			sentAt: NOW,
			responseCode: '400',
			errorMessage: 'The receiver is not configured to accept notifications yet',
		});
		expect(delivery.result).toEqual({ noWebhookResponse: true });
		expect(harness.logs).toEqual([
			{
				level: 'error',
				message: expect.stringContaining('No CityFibre Ticketing API credential is selected'),
				meta: expect.objectContaining({ refusal: 'notConfigured', httpStatus: 500 }),
			},
		]);
	});

	it('refuses with 500 when typed in the node but left empty', async () => {
		const delivery = await (await trigger({ parameters: { buyerIdentifier: '  ' } })).send(notificationXml());
		expect(delivery.status).toBe(500);
		expect(readMessage(delivery.body).body.errorMessage).toBe('The receiver is not configured to accept notifications yet');
	});
});

describe('a notification it must reject', () => {
	it('is for another buyer: rejected, messageId echoed, workflow not started', async () => {
		const harness = await trigger();
		expectRejected(await harness.send(notificationXml({ buyerIdentifier: 'OTHERBUYER' })), 400, "buyerIdentifier 'OTHERBUYER' is not this Buyer's identifier", 'CF-MSG-0001');
		expect(harness.logs).toEqual([
			{
				level: 'warn',
				message: "CityFibre notification refused: buyerIdentifier 'OTHERBUYER' does not match the configured one",
				meta: expect.objectContaining({ refusal: 'buyerIdentifierWrong', messageId: 'CF-MSG-0001', httpStatus: 400 }),
			},
		]);
	});

	it('has no buyer identifier', async () => {
		expectRejected(await (await trigger()).send(notificationXml({ buyerIdentifier: '' })), 400, 'The notification has no buyerIdentifier', 'CF-MSG-0001');
	});

	it('has no messageId: rejected without inventing one', async () => {
		const delivery = await (await trigger()).send(notificationXml({ messageId: '' }));
		expectRejected(delivery, 400, 'The notification has no messageId');
		expect(readMessage(delivery.body).body).not.toHaveProperty('messageId');
	});

	it('is not a CityFibre notification', async () => {
		const xml = notificationXml().replace(/notifyFaultReportUpdate/g, 'addFaultReport');
		expectRejected(await (await trigger()).send(xml), 400, "Not a CityFibre notification: expected notifyFaultReportUpdate, got 'addFaultReport'", 'CF-MSG-0001');
	});

	it('is a SOAP fault', async () => {
		const fault =
			'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>' +
			'<faultcode>soap:Server</faultcode><faultstring>oops</faultstring></soap:Fault></soap:Body></soap:Envelope>';
		expectRejected(await (await trigger()).send(fault), 400, "Not a CityFibre notification: expected notifyFaultReportUpdate, got 'Fault'");
	});

	it('has a messageId holding a control character: rejected without echoing it', async () => {
		const delivery = await (await trigger()).send(notificationXml().replace('CF-MSG-0001', 'CF-MSG-\u0001-0001'));
		expectRejected(delivery, 400, 'Message refused: the messageId contains a character XML does not allow');
		expect(readMessage(delivery.body).body).not.toHaveProperty('messageId');
	});

	it('names a charset the receiver cannot decode', async () => {
		const delivery = await (await trigger()).send(notificationXml(), { headers: { 'Content-Type': 'text/xml; charset=x-klingon' } });
		expectRejected(delivery, 415, "Unsupported charset 'x-klingon': send the SOAP message as UTF-8");
	});

	it('declares an XML encoding the receiver cannot decode', async () => {
		const xml = notificationXml().replace('encoding="UTF-8"', 'encoding="x-klingon"');
		const delivery = await (await trigger()).send(xml, { headers: { 'Content-Type': 'text/xml' } });
		expectRejected(delivery, 400, "Message refused: unsupported encoding 'x-klingon': send the SOAP message as UTF-8");
	});

	it('is answered HTTP 200 with the Rejected acknowledgement when the node is set to always 200', async () => {
		const harness = await trigger({ parameters: { options: { refusalHttpStatus: 'always200' } } });
		expectRejected(await harness.send(notificationXml({ buyerIdentifier: 'OTHERBUYER' })), 200, /is not this Buyer's identifier/, 'CF-MSG-0001');
	});
});

describe('repeats of one messageId (CityFibre retries)', () => {
	it('acknowledges the repeat the same way but starts the workflow once', async () => {
		const harness = await trigger();
		const first = await harness.send(notificationXml());
		const second = await harness.send(notificationXml());
		expectStarted(first);
		expectAcknowledgedNotStarted(second);
		expect(second.body).toBe(first.body);
		expect(harness.logs[1]).toMatchObject({
			level: 'info',
			message: 'CityFibre notification repeated: acknowledged, workflow not started again',
			meta: expect.objectContaining({ messageId: 'CF-MSG-0001' }),
		});
	});

	it('starts the workflow once when two copies arrive at the same moment', async () => {
		const harness = await trigger();
		const deliveries = await Promise.all([harness.send(notificationXml()), harness.send(notificationXml()), harness.send(notificationXml())]);
		expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
		expect(deliveries.filter((d) => d.result?.workflowData).length).toBe(1);
	});

	it('starts the workflow for each different messageId', async () => {
		const harness = await trigger();
		expectStarted(await harness.send(notificationXml({ messageId: 'CF-A' })), 'CF-A');
		expectStarted(await harness.send(notificationXml({ messageId: 'CF-B' })), 'CF-B');
	});

	it('counts a repeat whose event is not chosen as seen too', async () => {
		const harness = await trigger({ parameters: { events: ['resolved'] } });
		expectAcknowledgedNotStarted(await harness.send(notificationXml()));
		expectAcknowledgedNotStarted(await harness.send(notificationXml()));
		expect(harness.logs.map((l) => l.level)).toEqual(['debug', 'info']);
	});

	it('runs again once the window has passed', async () => {
		const harness = await trigger({ parameters: { options: { repeatWindowMinutes: 10 } } });
		expectStarted(await harness.send(notificationXml()));
		jest.setSystemTime(new Date(Date.parse(NOW) + 10 * 60_000 + 1));
		try {
			const later = await harness.send(notificationXml());
			expect(later.result?.workflowData).toHaveLength(1);
		} finally {
			jest.setSystemTime(new Date(NOW));
		}
	});

	it('runs every time when the window is 0 (memory off)', async () => {
		const harness = await trigger({ parameters: { options: { repeatWindowMinutes: 0 } } });
		expectStarted(await harness.send(notificationXml()));
		expectStarted(await harness.send(notificationXml()));
	});

	it('runs every time in test mode, so a re-sent sample still reaches the editor', async () => {
		const harness = await trigger({ mode: 'manual' });
		expectStarted(await harness.send(notificationXml()));
		expectStarted(await harness.send(notificationXml()));
	});

	it('is remembered per trigger node: another node still starts its workflow', async () => {
		const first = await trigger({ workflowId: 'shared-workflow', nodeId: 'node-a' });
		const second = await trigger({ workflowId: 'shared-workflow', nodeId: 'node-b' });
		expectStarted(await first.send(notificationXml()));
		expectStarted(await second.send(notificationXml()));
		expectAcknowledgedNotStarted(await first.send(notificationXml()));
	});

	it('rejects a notification for another buyer carrying a messageId already seen, rather than acknowledging it as a repeat', async () => {
		const harness = await trigger();
		expectStarted(await harness.send(notificationXml()));
		expectRejected(await harness.send(notificationXml({ buyerIdentifier: 'OTHERBUYER' })), 400, "buyerIdentifier 'OTHERBUYER' is not this Buyer's identifier", 'CF-MSG-0001');
	});

	it('is remembered per buyer identifier: a node re-pointed at another buyer starts the workflow for its messages', async () => {
		const before = await trigger({ workflowId: 'repointed-workflow', nodeId: 'node-a' });
		expectStarted(await before.send(notificationXml()));
		const after = await trigger({ workflowId: 'repointed-workflow', nodeId: 'node-a', parameters: { buyerIdentifier: 'SPDEV2' } });
		const delivery = await after.send(notificationXml({ buyerIdentifier: 'SPDEV2' }));
		expect(delivery.status).toBe(200);
		expect(itemOf(delivery)?.dedupeKey).toBe('SPDEV2:CF-MSG-0001');
	});

	it('does not count a refused delivery as seen', async () => {
		const harness = await trigger({ parameters: { options: { requiredHeader: { header: { name: 'X-Proxy-Secret', value: 's3cret-value' } } } } });
		expect((await harness.send(notificationXml())).status).toBe(403);
		expectStarted(await harness.send(notificationXml(), { headers: { 'X-Proxy-Secret': 's3cret-value' } }));
	});

	it('gives every item a de-duplication key that stays the same across retries', async () => {
		const keys: unknown[] = [];
		for (let run = 0; run < 2; run++) keys.push(expectStarted(await (await trigger()).send(notificationXml())).dedupeKey);
		expect(keys).toEqual(['SPDEV1:CF-MSG-0001', 'SPDEV1:CF-MSG-0001']);
	});
});

describe('inbound authentication', () => {
	const SECRET = 'proxy-shared-Secret-1234567890';
	const header = { options: { requiredHeader: { header: { name: 'X-CityFibre-Proxy-Secret', value: SECRET } } } };

	function expectNoSecretsLogged(harness: WebhookHarness, ...secrets: string[]): void {
		const logged = JSON.stringify(harness.logs);
		for (const secret of secrets) expect(logged).not.toContain(secret);
	}

	it('refuses a request without the required header, before reading the body', async () => {
		const harness = await trigger({ parameters: header });
		expectRejected(await harness.send('<not-even-xml'), 403, 'Authentication failed');
		expect(harness.logs).toEqual([
			{
				level: 'warn',
				message: "CityFibre notification refused: Required header 'X-CityFibre-Proxy-Secret' is missing",
				meta: expect.objectContaining({ refusal: 'headerMissing', httpStatus: 403 }),
			},
		]);
	});

	it('refuses a wrong header value and never logs either value', async () => {
		const harness = await trigger({ parameters: header });
		expectRejected(await harness.send(notificationXml(), { headers: { 'X-CityFibre-Proxy-Secret': 'guess-1234' } }), 403, 'Authentication failed');
		expect(harness.logs[0].meta).toMatchObject({ refusal: 'headerWrong' });
		expectNoSecretsLogged(harness, SECRET, 'guess-1234');
	});

	it('accepts the right header value, whatever the letter case of its name', async () => {
		const harness = await trigger({ parameters: header });
		expectStarted(await harness.send(notificationXml(), { headers: { 'x-cityfibre-proxy-secret': SECRET } }));
	});

	it('accepts the right header when the configured value was pasted with a trailing line break', async () => {
		const pasted = { options: { requiredHeader: { header: { name: 'X-CityFibre-Proxy-Secret', value: `${SECRET} \n` } } } };
		expectStarted(await (await trigger({ parameters: pasted })).send(notificationXml(), { headers: { 'X-CityFibre-Proxy-Secret': SECRET } }));
	});

	it('refuses a value that only starts like the right one', async () => {
		const harness = await trigger({ parameters: header });
		expectRejected(await harness.send(notificationXml(), { headers: { 'X-CityFibre-Proxy-Secret': `${SECRET}x` } }), 403, 'Authentication failed');
	});

	describe('HTTP Basic', () => {
		const basic = { parameters: { authentication: 'basicAuth' }, credentials: { httpBasicAuth: { user: 'cityfibre', password: 'Basic-Pass-987' } } };
		const authorization = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

		it('challenges a request without credentials with 401', async () => {
			const delivery = await (await trigger(basic)).send(notificationXml());
			expectRejected(delivery, 401, 'Authentication failed');
			expect(delivery.headers['www-authenticate']).toBe('Basic realm="CityFibre notifications"');
		});

		it('refuses wrong credentials with 403 and never logs the password', async () => {
			const harness = await trigger(basic);
			expectRejected(await harness.send(notificationXml(), { headers: { Authorization: authorization('cityfibre', 'nope-nope') } }), 403, 'Authentication failed');
			expect(harness.logs[0].meta).toMatchObject({ refusal: 'credentialsWrong' });
			expectNoSecretsLogged(harness, 'Basic-Pass-987', 'nope-nope');
		});

		it('refuses the right password under another user', async () => {
			const delivery = await (await trigger(basic)).send(notificationXml(), { headers: { Authorization: authorization('someone', 'Basic-Pass-987') } });
			expectRejected(delivery, 403, 'Authentication failed');
		});

		it('accepts the credential of n8n\'s HTTP Basic Auth type', async () => {
			expectStarted(await (await trigger(basic)).send(notificationXml(), { headers: { Authorization: authorization('cityfibre', 'Basic-Pass-987') } }));
		});

		it('refuses with 500 when Basic Auth is chosen without a credential', async () => {
			const harness = await trigger({ parameters: { authentication: 'basicAuth' } });
			const delivery = await harness.send(notificationXml(), { headers: { Authorization: authorization('cityfibre', 'Basic-Pass-987') } });
			expect(delivery.status).toBe(500);
			expect(harness.logs[0]).toMatchObject({ level: 'error', meta: expect.objectContaining({ refusal: 'notConfigured' }) });
		});
	});

	describe('the IP allow-list', () => {
		it('accepts a caller whose address is listed', async () => {
			expectStarted(await (await trigger({ parameters: { options: { allowedIpAddresses: '203.0.113.9, 127.0.0.1' } } })).send(notificationXml()));
		});

		it('accepts a caller inside a listed CIDR range', async () => {
			expectStarted(await (await trigger({ parameters: { options: { allowedIpAddresses: '127.0.0.0/8' } } })).send(notificationXml()));
		});

		it('refuses a caller outside every entry, naming its address in the log only', async () => {
			const harness = await trigger({ parameters: { options: { allowedIpAddresses: '10.0.0.0/8, 2001:db8::/32' } } });
			expectRejected(await harness.send(notificationXml()), 403, 'Authentication failed');
			expect(harness.logs[0].message).toBe("CityFibre notification refused: Source address '127.0.0.1' (from the connection) is not in Allowed IP Addresses");
		});

		it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
			const harness = await trigger({ parameters: { options: { allowedIpAddresses: '203.0.113.7' } } });
			expectRejected(await harness.send(notificationXml(), { headers: { 'X-Forwarded-For': '203.0.113.7' } }), 403, 'Authentication failed');
		});

		it('uses the address a trusted proxy appended to X-Forwarded-For', async () => {
			const harness = await trigger({ parameters: { options: { allowedIpAddresses: '203.0.113.7', trustForwardedFor: true } } });
			expectStarted(await harness.send(notificationXml(), { headers: { 'X-Forwarded-For': '198.51.100.1, 203.0.113.7' } }));
		});

		it('is not fooled by an address the caller put in front of the proxy\'s', async () => {
			const harness = await trigger({ parameters: { options: { allowedIpAddresses: '203.0.113.7', trustForwardedFor: true } } });
			expectRejected(await harness.send(notificationXml(), { headers: { 'X-Forwarded-For': '203.0.113.7, 198.51.100.1' } }), 403, 'Authentication failed');
		});

		it('refuses every request with 500 while an entry is not an address, naming the entry in the log', async () => {
			const harness = await trigger({ parameters: { options: { allowedIpAddresses: '127.0.0.1, cityfibre.com' } } });
			expect((await harness.send(notificationXml())).status).toBe(500);
			expect(harness.logs[0].message).toContain("'cityfibre.com' is not an IP address or a CIDR range");
		});
	});

	it('applies every configured check together', async () => {
		const all = {
			parameters: { authentication: 'basicAuth', options: { ...header.options, allowedIpAddresses: '127.0.0.1' } },
			credentials: { httpBasicAuth: { user: 'cityfibre', password: 'Basic-Pass-987' } },
		};
		const harness = await trigger(all);
		const good = { 'X-CityFibre-Proxy-Secret': SECRET, Authorization: `Basic ${Buffer.from('cityfibre:Basic-Pass-987').toString('base64')}` };
		expectRejected(await harness.send(notificationXml(), { headers: { Authorization: good.Authorization } }), 403, 'Authentication failed');
		expectRejected(await harness.send(notificationXml(), { headers: { 'X-CityFibre-Proxy-Secret': SECRET } }), 401, 'Authentication failed');
		expectStarted(await harness.send(notificationXml(), { headers: good }));
	});
});

describe('a hostile or broken body', () => {
	const NOTIFICATION_START = '<notifyFaultReportUpdate><buyerIdentifier>SPDEV1</buyerIdentifier><messageId>CF-X</messageId>';
	const billionLaughs = () => {
		const entities = ['<!ENTITY lol0 "lol">'];
		for (let n = 1; n <= 9; n++) entities.push(`<!ENTITY lol${n} "${`&lol${n - 1};`.repeat(10)}">`);
		return `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]>${NOTIFICATION_START}<serviceAffected>&lol9;</serviceAffected></notifyFaultReportUpdate>`;
	};

	const cases: Array<[string, string | Buffer, Record<string, string>, number, RegExp]> = [
		['an entity bomb', billionLaughs(), {}, 400, /^Message refused: .*(DOCTYPE|[Ee]ntit)/],
		['a DOCTYPE', `<!DOCTYPE notifyFaultReportUpdate>${NOTIFICATION_START}</notifyFaultReportUpdate>`, {}, 400, /DOCTYPE are refused/],
		['an external entity (XXE)', `<!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]>${NOTIFICATION_START}</notifyFaultReportUpdate>`, {}, 400, /DOCTYPE/],
		['malformed XML', `${NOTIFICATION_START}<faultDetails>`, {}, 400, /^Message refused: Malformed XML/],
		['an empty body', '', {}, 400, /^Message refused: Malformed XML: no element found$/],
		['binary garbage', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x3c, 0x00]), { 'Content-Type': 'application/xml' }, 400, /^Message refused: Malformed XML/],
		['a control character in a tag name', `${NOTIFICATION_START}<faultDetails\u0001>`, {}, 400, /^Message refused: Malformed XML: <faultDetails\?> is not closed$/],
		['10,000 nested elements', `${NOTIFICATION_START}${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</notifyFaultReportUpdate>`, {}, 400, /Nesting too deep/],
		['20,000 sibling elements', manyElements(20_000), {}, 400, /^Message refused: Too many elements: more than 10000$/],
		['JSON', '{"notifyFaultReportUpdate":{}}', { 'Content-Type': 'application/json' }, 415, /^Unsupported Content-Type 'application\/json': send the SOAP message as text\/xml or application\/xml$/],
		['a form upload', '--b\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n--b--\r\n', { 'Content-Type': 'multipart/form-data; boundary=b' }, 415, /multipart\/form-data/],
		['more than 1 MiB', notificationXml({ faultDetails: { description: 'x'.repeat(1024 * 1024) } }), {}, 413, /^Message refused: Document too large: \d+ bytes, the limit is 1048576$/],
	];

	it.each(cases)('(%s) gets a SOAP refusal, a log warning and no workflow run', async (_name, body, headers, status, reason) => {
		const harness = await trigger();
		const delivery = await harness.send(body, { headers });
		expectRejected(delivery, status, reason);
		expect(harness.logs).toEqual([{ level: 'warn', message: expect.stringMatching(/^CityFibre notification refused: /), meta: expect.objectContaining({ httpStatus: status }) }]);
	});

	it('over n8n\'s payload limit, read by the node itself: a SOAP 413 refusal', async () => {
		const harness = await trigger({ preRead: false, payloadSizeMax: 1000 });
		const delivery = await harness.send(notificationXml({ faultDetails: { description: 'x'.repeat(2000) } }));
		expectRejected(delivery, 413, 'Message refused: the body is larger than this receiver accepts');
		expect(harness.logs[0]).toMatchObject({ level: 'warn', meta: expect.objectContaining({ refusal: 'tooLarge' }) });
	});

	it('is not called malformed when n8n passed no body at all: a SOAP 500, so CityFibre may resend', async () => {
		const request = { headers: { 'content-type': 'text/xml; charset=utf-8' }, socket: { remoteAddress: '127.0.0.1' } };
		const harness = await trigger({ override: { getRequestObject: () => request } });
		const delivery = await harness.send(notificationXml());
		expect(delivery.status).toBe(500);
		expect(readMessage(delivery.body).body).toMatchObject({ responseCode: '400', errorMessage: 'The receiver failed to process the notification' });
		expect(harness.logs).toEqual([
			{
				level: 'error',
				message: 'CityFibre notification refused: n8n passed the node neither req.rawBody nor req.readRawBody()',
				meta: expect.objectContaining({ refusal: 'internal', httpStatus: 500 }),
			},
		]);
	});

	it('never quotes the body in the log', async () => {
		const harness = await trigger();
		await harness.send(`${NOTIFICATION_START}<description>Customer PIN 4711-SECRET</description>`);
		expect(JSON.stringify(harness.logs)).not.toContain('4711-SECRET');
	});

	it('answers with a SOAP 500 rather than letting n8n answer, when something unexpected fails', async () => {
		const harness = await trigger({
			override: {
				getNodeParameter: () => {
					throw new Error('boom');
				},
			},
		});
		const delivery = await harness.send(notificationXml());
		expect(delivery.error).toBeUndefined();
		expect(delivery.status).toBe(500);
		expect(delivery.headers['content-type']).toBe(SOAP_ACK_TYPE);
		expect(readMessage(delivery.body).body).toMatchObject({ responseCode: '400', errorMessage: 'The receiver failed to process the notification' });
		expect(delivery.result).toEqual({ noWebhookResponse: true });
		expect(harness.logs[0]).toMatchObject({ level: 'error', message: 'CityFibre notification refused: Unexpected error: boom' });
	});
});
