/**
 * Every operation of the CityFibre Ticketing node through its `execute`, against the sandbox over
 * mutual TLS: n8n's function context is mocked, the wire is real. What the node reports is checked
 * against what the sandbox received and did.
 */
import type { IDataObject } from 'n8n-workflow';

import { closeAllAgents } from '../../nodes/CityFibre/transport';
import { everyFieldParameters, executeNode, raiseParameters, sandboxCredentials } from '../support/executeContext';
import type { ExecuteContextOptions } from '../support/executeContext';
import { uniqueReference, useSandbox } from '../support/sandbox';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sandbox = useSandbox();
afterAll(() => closeAllAgents());

async function run(parameters: Record<string, unknown>, options: Partial<ExecuteContextOptions> = {}): Promise<IDataObject[]> {
	const output = await executeNode({ parameters, credentials: sandboxCredentials(sandbox()), ...options });
	return output.map((item) => item.json);
}

async function raise(overrides: Record<string, unknown> = {}): Promise<string> {
	const [json] = await run(raiseParameters({ buyerFaultReference: uniqueReference(), ...overrides }));
	expect(json.status).toBe('Pending');
	return json.buyerFaultReference as string;
}

/** Moves a ticket on as CityFibre would, and returns CityFibre's reference once it has one. */
function cityFibreMoves(ref: string, ...statuses: string[]): string | undefined {
	let ticket;
	for (const status of statuses) ticket = sandbox().control.setStatus({ ref, status });
	return ticket?.maintainerFaultReference;
}

describe('Fault Report › Raise', () => {
	it('raises a ticket, generating the buyer fault reference, and reports it Pending', async () => {
		const [json] = await run(raiseParameters());
		expect(json).toEqual({
			messageId: expect.stringMatching(UUID),
			buyerFaultReference: expect.stringMatching(/^N8N-[0-9A-F]{16}$/),
			status: 'Pending',
			responseCode: '0',
			messages: [],
			operation: 'addFaultReport',
			buyerFaultReferenceGenerated: true,
		});
		const ticket = sandbox().control.ticket({ ref: json.buyerFaultReference as string });
		expect(ticket.status).toBe('Pending');
		expect(ticket.details).toMatchObject({ serviceAffected: 'SERVICE-0001', faultDetails: { type: 'Impaired Service' } });
	});

	it('keeps a reference the user gave', async () => {
		const ref = uniqueReference();
		const [json] = await run(raiseParameters({ buyerFaultReference: ref }));
		expect(json).toMatchObject({ buyerFaultReference: ref, buyerFaultReferenceGenerated: false });
	});

	it('sends every field the editor offers', async () => {
		const ref = uniqueReference();
		const parameters = everyFieldParameters('faultReport', 'raise', { serviceAffected: 'SERVICE-0002', buyerFaultReference: ref });
		const [json] = await run(parameters);
		expect(json.status).toBe('Pending');
		const { details } = sandbox().control.ticket({ ref });
		expect(details).toMatchObject({
			reporterContactDetails: { phone: 'phone-sample', email: 'email-sample', name: 'name-sample' },
			parentFaultReference: 'parentFaultReference-sample',
			faultDetails: {
				faultStartTime: '2025-06-02T08:40:00Z',
				siteAccessContactDetails: { phone: 'phone-sample' },
				triageComplete: true,
				triageFindings: 'triageFindings-sample',
			},
		});
	});

	it("reads a date-time picked without a zone in the workflow's time zone", async () => {
		const ref = uniqueReference();
		await run(raiseParameters({ buyerFaultReference: ref, reportDateTime: '2025-06-02T08:40:00' }), { timezone: 'Europe/London' });
		expect(sandbox().control.ticket({ ref }).details.reportDateTime).toBe('2025-06-02T08:40:00+01:00');
	});
});

describe('Fault Report › Amend', () => {
	it('sends the references and what changed', async () => {
		const ref = await raise();
		const [json] = await run({
			resource: 'faultReport',
			operation: 'amend',
			buyerFaultReference: ref,
			additionalFields: { siteAccessDetails: 'Key safe at rear door', siteAccessContactDetails: { values: { phone: '07700900999' } } },
		});
		expect(json).toMatchObject({ buyerFaultReference: ref, responseCode: '0', messages: [], operation: 'amendFaultReport' });
		expect(sandbox().control.ticket({ ref }).details.faultDetails).toMatchObject({
			siteAccessDetails: 'Key safe at rear door',
			siteAccessContactDetails: { phone: '07700900999' },
		});
	});
});

describe('Fault Report › Request Update', () => {
	it('asks for the state of an accepted ticket, which CityFibre sends as a notification', async () => {
		const ref = await raise();
		const maintainer = cityFibreMoves(ref, 'Accepted');
		const [json] = await run({ resource: 'faultReport', operation: 'requestUpdate', buyerFaultReference: ref, maintainerFaultReference: maintainer });
		expect(json).toMatchObject({ buyerFaultReference: ref, maintainerFaultReference: maintainer, responseCode: '0', operation: 'requestFaultReportUpdate' });
		expect(sandbox().control.notifications({ ref }).map((n) => n.reason)).toContain('fullUpdate');
	});
});

describe('Fault Report › Accept and Reject Resolution', () => {
	it('accepting a resolution closes the ticket', async () => {
		const ref = await raise();
		const maintainer = cityFibreMoves(ref, 'Accepted', 'In Progress', 'Resolved');
		const [json] = await run({ resource: 'faultReport', operation: 'acceptResolution', buyerFaultReference: ref, maintainerFaultReference: maintainer });
		expect(json).toMatchObject({ resolveAccepted: true, buyerFaultReference: ref, responseCode: '0', operation: 'resolveResponse' });
		expect(sandbox().control.ticket({ ref }).status).toBe('Closed');
	});

	it('rejecting a resolution re-opens the ticket with the reason', async () => {
		const ref = await raise();
		cityFibreMoves(ref, 'Accepted', 'In Progress', 'Resolved');
		const [json] = await run({ resource: 'faultReport', operation: 'rejectResolution', buyerFaultReference: ref, rejectedReason: 'Still no light on the ONT' });
		expect(json).toMatchObject({ resolveAccepted: false, responseCode: '0' });
		const ticket = sandbox().control.ticket({ ref });
		expect(ticket.status).toBe('Re-Opened');
		expect(ticket.updates.at(-1)?.description).toContain('Still no light on the ONT');
	});
});

/** Appointment › Query Availability for REPAIR visits at `addressKey`, from the sandbox's today. */
async function queryAvailability(addressKey: string) {
	return await run({
		resource: 'appointment',
		operation: 'queryAvailability',
		addressKey,
		appointmentsFrom: sandbox().control.clock().now.slice(0, 10),
		appointmentType: 'REPAIR',
		productName: 'ftthl2r',
	});
}

describe('Appointment › Query Availability and Reserve, then a Service Outage Raise', () => {
	it('lists slots, reserves one, and raises the outage with the reservation key mapped from the output', async () => {
		const addressKey = `UPRN-${process.pid}-1`;
		const [query] = await queryAvailability(addressKey);
		const slots = query.appointmentSlots as IDataObject[];
		expect(slots.length).toBeGreaterThan(0);
		expect(slots[0]).toEqual({ appointmentDate: expect.any(String), appointmentStartTime: '08:00', appointmentEndTime: '13:00' });
		expect(query.correlationId).toBe(query.messageId);

		// The reservation maps the first slot and ties itself to the query's correlation ID.
		const [reserved] = await run(
			{
				resource: 'appointment',
				operation: 'reserve',
				appointmentDate: (item: IDataObject) => (item.appointmentSlots as IDataObject[])[0].appointmentDate,
				appointmentStartTime: (item: IDataObject) => (item.appointmentSlots as IDataObject[])[0].appointmentStartTime,
				appointmentEndTime: (item: IDataObject) => (item.appointmentSlots as IDataObject[])[0].appointmentEndTime,
				appointmentType: 'REPAIR',
				productName: 'ftthl2r',
				addressKey,
				options: { correlationId: (item: IDataObject) => item.correlationId },
			},
			{ items: [query] },
		);
		expect(reserved).toMatchObject({ appointmentReservationKey: expect.stringMatching(/^RES-/), appointmentDate: slots[0].appointmentDate, correlationId: query.correlationId });
		expect(sandbox().control.exchanges({ operation: 'reserveAppointment' }).at(-1)?.requestXml).toContain(`<correlationId>${query.correlationId as string}</correlationId>`);

		const ref = uniqueReference();
		const [raised] = await run(
			raiseParameters({ buyerFaultReference: ref, type: 'Service Outage', appointmentReservationKey: (item: IDataObject) => item.appointmentReservationKey }),
			{ items: [reserved] },
		);
		expect(raised.status).toBe('Pending');
		expect(sandbox().control.ticket({ ref }).appointments[0]).toMatchObject({ appointmentReservationKey: reserved.appointmentReservationKey });
	});
});

describe('Appointment › Reserve', () => {
	it('sends a start time typed with a one-digit hour (8:00) as HH:MM (08:00)', async () => {
		const addressKey = `UPRN-${process.pid}-2`;
		const [query] = await queryAvailability(addressKey);
		const morning = (query.appointmentSlots as IDataObject[]).find((slot) => slot.appointmentStartTime === '08:00') as IDataObject;
		const [reserved] = await run({
			resource: 'appointment',
			operation: 'reserve',
			appointmentDate: morning.appointmentDate,
			appointmentStartTime: '8:00',
			appointmentEndTime: '13:00',
			appointmentType: 'REPAIR',
			productName: 'ftthl2r',
			addressKey,
		});
		expect(reserved.appointmentReservationKey).toMatch(/^RES-/);
		expect(sandbox().control.exchanges({ operation: 'reserveAppointment' }).at(-1)?.requestXml).toContain('<appointmentStartTime>08:00</appointmentStartTime>');
	});
});

describe('Service Diagnostics › Run, then Raise', () => {
	it('runs diagnostics and hands its findings to a Raise under the Raise field names', async () => {
		const [diagnostics] = await run({ resource: 'serviceDiagnostics', operation: 'run', serviceId: 'SERVICE-DOWN-0001' });
		expect(diagnostics).toMatchObject({
			serviceId: 'SERVICE-DOWN-0001',
			ontStatus: 'Dying Gasp',
			cfmStatus: 'Down CF',
			responseCode: '0',
			triageComplete: true,
			serviceAffected: 'SERVICE-DOWN-0001',
		});
		expect(diagnostics.triageFindings).toMatch(/^ONT Status: Dying Gasp \(Last Event Time: .+, Change From Previous: Service Up\); CFM Status: Down CF/);

		const ref = uniqueReference();
		await run(
			raiseParameters({
				buyerFaultReference: ref,
				serviceAffected: (item: IDataObject) => item.serviceAffected,
				additionalFields: { triageComplete: (item: IDataObject) => item.triageComplete, triageFindings: (item: IDataObject) => item.triageFindings },
			}),
			{ items: [diagnostics] },
		);
		expect(sandbox().control.ticket({ ref }).details).toMatchObject({
			serviceAffected: 'SERVICE-DOWN-0001',
			faultDetails: { triageComplete: true, triageFindings: diagnostics.triageFindings },
		});
	});

	it('leaves the triage keys out when asked to', async () => {
		const [json] = await run({ resource: 'serviceDiagnostics', operation: 'run', serviceId: 'SERVICE-0003', options: { triageForRaise: false } });
		expect(json).not.toHaveProperty('triageFindings');
		expect(json.ontStatus).toBe('Service Up');
	});
});

describe('options every operation has', () => {
	it('Extra Fields puts JSON into the message at its path', async () => {
		const ref = uniqueReference();
		await run(
			raiseParameters({
				buyerFaultReference: ref,
				options: { extraFields: { field: [{ path: 'faultDetails', json: '{"accessHazards": "Dog on site"}' }, { path: '', json: { priorityCode: 'P1' } }] } },
			}),
		);
		const sent = sandbox().control.exchanges({ operation: 'addFaultReport' }).at(-1)?.requestXml ?? '';
		expect(sent).toMatch(/<faultDetails>.*<accessHazards>Dog on site<\/accessHazards><\/faultDetails>/);
		expect(sent).toMatch(/<priorityCode>P1<\/priorityCode><\/addFaultReport>/);
	});

	it('Message ID overrides the generated one', async () => {
		const [json] = await run(raiseParameters({ buyerFaultReference: uniqueReference(), options: { messageId: `MSG-${process.pid}-1` } }));
		expect(json.messageId).toBe(`MSG-${process.pid}-1`);
		expect(sandbox().control.exchanges({ operation: 'addFaultReport' }).at(-1)?.messageId).toBe(`MSG-${process.pid}-1`);
	});

	it('Message ID set to one text for a whole batch sends the first item and refuses the repeats, naming the option', async () => {
		const messageId = `MSG-${process.pid}-batch`;
		const before = sandbox().control.exchanges({ operation: 'addFaultReport' }).length;
		const output = await run(raiseParameters({ options: { messageId } }), { items: [{}, {}], continueOnFail: true });
		expect(output[0]).toMatchObject({ messageId, status: 'Pending' });
		expect(output[1].error).toMatchObject({
			message: `Invalid parameter: Options › Message ID: "${messageId}" is already the message ID of item 0: each message needs its own (leave it empty and the node generates one per item)`,
		});
		expect(sandbox().control.exchanges({ operation: 'addFaultReport' }).length).toBe(before + 1);
	});

	it('Full Response gives the whole parsed answer and the values sent', async () => {
		const ref = uniqueReference();
		const [json] = await run(raiseParameters({ buyerFaultReference: ref, options: { output: 'full' } }));
		expect(json).toMatchObject({ operation: 'addFaultReport', httpStatus: 200, attempts: 1, responseName: 'addFaultReportResponse' });
		expect(json.response).toMatchObject({ apiVersion: '1.1', buyerIdentifier: 'SPDEV1', buyerFaultReference: ref, status: 'Pending', responseCode: '0' });
		expect(json.request).toMatchObject({ buyerFaultReference: ref, buyerIdentifier: 'SPDEV1', faultDetails: { type: 'Impaired Service' } });
	});

	it('Include Request and Response XML adds the SOAP exchanged', async () => {
		const [json] = await run(raiseParameters({ options: { includeXml: true } }));
		expect(json.requestXml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><soap:Envelope .*<addFaultReport>/);
		expect(json.responseXml).toContain('addFaultReportResponse');
	});
});
