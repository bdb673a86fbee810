/**
 * What goes wrong, through the node's `execute` against the sandbox over mutual TLS: each
 * validation error names the field and sends nothing; CityFibre's rejections, refusals and faults
 * become errors carrying its code; batches go on under Continue On Fail; a repeat of the same
 * execution (n8n's Retry On Fail) sends the same identifiers; no secret ever reaches an output.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { closeAllAgents } from '../../nodes/CityFibre/transport';
import { clientCertificate, createTestCa } from '../support/badCerts';
import type { ExecuteContextOptions } from '../support/executeContext';
import { executeNode, failure, raiseParameters, sandboxCredentials } from '../support/executeContext';
import { uniqueReference, useSandbox } from '../support/sandbox';
import { SecretCollector } from '../support/secrets';

const sandbox = useSandbox();
afterAll(() => closeAllAgents());

function execute(parameters: Record<string, unknown>, options: Partial<ExecuteContextOptions> = {}): Promise<INodeExecutionData[]> {
	return executeNode({ parameters, credentials: sandboxCredentials(sandbox()), ...options });
}

const appointment = { appointmentType: 'REPAIR', productName: 'ftthl2r', addressKey: '123456789012' };

describe('each validation error names the field and sends nothing', () => {
	const cases: Array<{ error: string; parameters: Record<string, unknown>; message: string }> = [
		{ error: 'a required field left empty', parameters: raiseParameters({ serviceAffected: '' }), message: 'Service ID (serviceAffected): is required' },
		{
			error: 'a required group left empty',
			parameters: raiseParameters({ reporterContactDetails: {} }),
			message: 'Reporter Contact Details (reporterContactDetails): is required',
		},
		{
			error: 'a value outside an enumeration (mapped by an expression)',
			parameters: raiseParameters({ type: () => 'Broken' }),
			message: 'Fault Type (faultDetails.type): must be one of "Impaired Service", "Service Outage", "Performance Issue" (got "Broken")',
		},
		{
			error: 'a date-time that is not ISO 8601',
			parameters: raiseParameters({ reportDateTime: 'yesterday' }),
			message: 'Report Date Time (reportDateTime): must be an ISO 8601 date-time with a time zone, e.g. 2025-06-02T08:40:00Z (got "yesterday")',
		},
		{
			error: 'a date that does not exist',
			parameters: { resource: 'appointment', operation: 'queryAvailability', ...appointment, appointmentsFrom: '2025-02-30' },
			message: 'Appointments From (appointmentsFrom): must be a date as YYYY-MM-DD (got "2025-02-30")',
		},
		{
			error: 'a required slot left empty, named by its fields',
			parameters: { resource: 'appointment', operation: 'reserve', ...appointment },
			message: 'Appointment Date, Appointment Start Time and Appointment End Time (appointmentSlot): is required',
		},
		{
			error: 'a time that is not HH:MM',
			parameters: { resource: 'appointment', operation: 'reserve', ...appointment, appointmentDate: '2025-06-03', appointmentStartTime: '8am', appointmentEndTime: '13:00' },
			message: 'Appointment Start Time (appointmentSlot.appointmentStartTime): must be a time as HH:MM (got "8am")',
		},
		{
			error: 'a Service Outage without a reservation key',
			parameters: raiseParameters({ type: 'Service Outage' }),
			message:
				'Appointment Reservation Key (appointment.appointmentReservationKey): A Service Outage fault needs an appointment reservation key (reserve an appointment first)',
		},
		{
			error: 'a reservation key on another fault type',
			parameters: raiseParameters({ options: { extraFields: { field: [{ path: 'appointment', json: '{"appointmentReservationKey": "RES-1"}' }] } } }),
			message: 'Appointment Reservation Key (appointment.appointmentReservationKey): Only Service Outage faults may carry an appointment reservation key',
		},
		{
			error: 'a resolution rejected without a reason',
			parameters: { resource: 'faultReport', operation: 'rejectResolution', buyerFaultReference: 'ISP-FLT-1', rejectedReason: () => '' },
			message: 'Rejected Reason (rejectedReason): Rejecting a resolution needs a reason',
		},
		{
			error: 'two services on one ticket',
			parameters: raiseParameters({ serviceAffected: 'SERVICE-0001, SERVICE-0002' }),
			message: 'Service ID (serviceAffected): A ticket covers exactly one service: raise one ticket per service ID',
		},
		{
			error: 'a character XML cannot carry',
			parameters: raiseParameters({ description: 'No light\u0007' }),
			message: 'Description (faultDetails.description): contains a character XML cannot carry (U+0007 at position 9)',
		},
		{
			error: 'an Extra Fields entry that is not JSON',
			parameters: raiseParameters({ options: { extraFields: { field: [{ path: '', json: '{"a": ' }] } } }),
			message: 'Options › Extra Fields › Extra Field 1 › JSON: is not valid JSON',
		},
		{
			error: 'an Extra Fields key that cannot be an element name',
			parameters: raiseParameters({ options: { extraFields: { field: [{ path: 'faultDetails', json: '{"access hazards": "Dog"}' }] } } }),
			message: 'faultDetails.access hazards: "access hazards" cannot be an XML element name',
		},
	];

	it.each(cases)('$error', async ({ parameters, message }) => {
		const before = sandbox().control.exchanges().length;
		const error = await failure(execute(parameters, { items: [{}] }), NodeOperationError);
		expect(error.message).toContain(message);
		expect(error.context.itemIndex).toBe(0);
		expect(sandbox().control.exchanges().length).toBe(before);
	});

	it('names the credential when it lacks the buyer identifier', async () => {
		const error = await failure(executeNode({ parameters: raiseParameters(), credentials: sandboxCredentials(sandbox(), { buyerIdentifier: '' }) }), NodeOperationError);
		expect(error.message).toBe('Invalid parameter: Credential › Buyer Identifier (credential.buyerIdentifier): enter the buyer identifier CityFibre assigned you');
	});
});

describe("CityFibre's rejections, refusals and faults carry its code and message", () => {
	it('an unknown service is rejected', async () => {
		const error = await failure(execute(raiseParameters({ serviceAffected: 'SERVICE-9999' })), NodeApiError);
		expect(error.message).toBe('CityFibre rejected the request: serviceAffected: unknown service ID "SERVICE-9999" (code 404)');
		expect(error.context).toMatchObject({ itemIndex: 0, errorKind: 'rejected', errorCode: '404', operation: 'addFaultReport' });
		expect(error.httpCode).toBeNull();
	});

	it('an amendment of a ticket that does not exist is refused', async () => {
		const error = await failure(execute({ resource: 'faultReport', operation: 'amend', buyerFaultReference: 'NO-SUCH-TICKET' }), NodeApiError);
		expect(error.message).toBe('CityFibre refused the request: buyerFaultReference: no fault report "NO-SUCH-TICKET" (code 404)');
		expect(error.context.errorKind).toBe('business');
	});

	it('accepting a resolution of a ticket that is not Resolved is refused', async () => {
		const ref = uniqueReference();
		await execute(raiseParameters({ buyerFaultReference: ref }));
		const error = await failure(execute({ resource: 'faultReport', operation: 'acceptResolution', buyerFaultReference: ref }), NodeApiError);
		expect(error.message).toBe(`CityFibre refused the request: fault report "${ref}" is Pending, not Resolved: only a resolution can be accepted or rejected (code 409)`);
	});

	it('an HTTP 500 fault keeps its status and is not repeated for a call that changes a ticket', async () => {
		sandbox().control.injectFault({ kind: 'status', status: 500, operation: 'addFaultReport' });
		const error = await failure(execute(raiseParameters()), NodeApiError);
		expect(error.message).toBe('CityFibre returned a fault: Service unavailable (code 500)');
		expect(error.httpCode).toBe('500');
		expect(error.context).toMatchObject({ errorKind: 'fault', errorCode: '500', attempts: 1 });
	});

	it('a read-only call is repeated after a 503 and succeeds', async () => {
		sandbox().control.injectFault({ kind: 'status', status: 503, operation: 'requestServiceDiagnostics' });
		const [item] = await execute({ resource: 'serviceDiagnostics', operation: 'run', serviceId: 'SERVICE-0001', options: { output: 'full' } });
		expect(item.json).toMatchObject({ httpStatus: 200, attempts: 2 });
	});

	it('a buyer identifier CityFibre does not know is forbidden', async () => {
		const error = await failure(execute(raiseParameters({ options: { buyerIdentifier: 'NOTMINE' } })), NodeApiError);
		expect(error.httpCode).toBe('403');
		expect(error.message).toBe('CityFibre returned a fault: Forbidden (code 403)');
	});

	it('a client certificate CityFibre does not trust fails the call, pointing at the credential test', async () => {
		const stranger = clientCertificate(createTestCa('Stranger CA'), 'SPDEV1');
		const credentials = sandboxCredentials(sandbox(), { certificate: stranger.cert, privateKey: stranger.key, passphrase: '' });
		const error = await failure(executeNode({ parameters: raiseParameters(), credentials }), NodeApiError);
		// TLS 1.3 refuses a client certificate after the handshake, so the call sees the connection
		// cut; the transport says so and points at the credential test, which tells the two apart.
		expect(error.message).toMatch(/closed the connection before answering \(if every call ends like this, the server may be refusing the client certificate: run the credential test\)\.$/);
		expect(error.context).toMatchObject({ errorKind: 'network', errorCode: 'unreachable', itemIndex: 0 });
	});
});

describe('batches', () => {
	it('raises many tickets in one run over one connection, one output item per input item, in order', async () => {
		const items = Array.from({ length: 40 }, (_, i) => ({ service: `SERVICE-${String((i % 20) + 1).padStart(4, '0')}` }));
		const before = sandbox().control.tickets().length;
		const handshakes = sandbox().control.handshakes();
		const output = await execute(raiseParameters({ serviceAffected: (json: IDataObject) => json.service }), { items });
		// One pooled connection carries the batch (at most one new handshake).
		expect(sandbox().control.handshakes()).toBeLessThanOrEqual(handshakes + 1);
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(output.every((item) => item.json.status === 'Pending')).toBe(true);
		expect(new Set(output.map((item) => item.json.buyerFaultReference)).size).toBe(40);
		expect(sandbox().control.tickets().length).toBe(before + 40);
	});

	it('with Continue On Fail, rejections and invalid items carry their error and the batch goes on', async () => {
		const items = [{ service: 'SERVICE-0001' }, { service: 'SERVICE-9999' }, { service: 'SERVICE-0002', type: 'Broken' }, { service: 'SERVICE-0003' }];
		const before = sandbox().control.exchanges({ operation: 'addFaultReport' }).length;
		const output = await execute(
			raiseParameters({ serviceAffected: (json: IDataObject) => json.service, type: (json: IDataObject) => json.type ?? 'Impaired Service' }),
			{ items, continueOnFail: true },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(output[0].json.status).toBe('Pending');
		expect(output[1].json).toEqual({
			error: expect.objectContaining({ errorKind: 'rejected', errorCode: '404', message: expect.stringContaining('unknown service ID "SERVICE-9999"') }),
		});
		expect(output[2].json.error).toMatchObject({ errorKind: 'validation', issues: [expect.objectContaining({ field: 'Fault Type', path: 'faultDetails.type' })] });
		expect(output[3].json.status).toBe('Pending');
		// The invalid item never left; the rejected one did.
		expect(sandbox().control.exchanges({ operation: 'addFaultReport' }).length).toBe(before + 3);
	});

	it('with the fault type mapped per item, the reservation key is required for an outage and refused for the other types', async () => {
		const items = [{ type: 'Service Outage' }, { type: 'Impaired Service', key: 'RES-1' }, { type: 'Impaired Service' }];
		const output = await execute(
			raiseParameters({ type: (json: IDataObject) => json.type, appointmentReservationKey: (json: IDataObject) => json.key ?? '' }),
			{ items, continueOnFail: true },
		);
		const issueOf = (item: INodeExecutionData) => (item.json.error as { issues: Array<{ field: string; message: string }> }).issues;
		expect(issueOf(output[0])).toEqual([expect.objectContaining({ field: 'Appointment Reservation Key', message: expect.stringMatching(/^A Service Outage fault needs/) })]);
		expect(issueOf(output[1])).toEqual([expect.objectContaining({ field: 'Appointment Reservation Key', message: expect.stringMatching(/^Only Service Outage faults/) })]);
		expect(output[2].json.status).toBe('Pending');
	});

	it('without Continue On Fail, stops at the rejected item with its index; the items before it were sent', async () => {
		const refs = [uniqueReference(), uniqueReference(), uniqueReference()];
		const items = [{ ref: refs[0], service: 'SERVICE-0001' }, { ref: refs[1], service: 'SERVICE-9999' }, { ref: refs[2], service: 'SERVICE-0002' }];
		const error = await failure(
			execute(raiseParameters({ buyerFaultReference: (json: IDataObject) => json.ref, serviceAffected: (json: IDataObject) => json.service }), { items }),
			NodeApiError,
		);
		expect(error.context.itemIndex).toBe(1);
		expect(sandbox().control.ticket({ ref: refs[0] }).status).toBe('Pending');
		expect(() => sandbox().control.ticket({ ref: refs[2] })).toThrow(/no fault report/);
	});
});

describe("a repeat of the same execution (n8n's Retry On Fail)", () => {
	it('sends the same message ID and generated reference, so CityFibre recognises the repeat', async () => {
		const [first] = await execute(raiseParameters(), { executionId: `retry-${process.pid}` });
		const [repeat] = await execute(raiseParameters(), { executionId: `retry-${process.pid}`, continueOnFail: true });
		const sent = sandbox().control.exchanges({ operation: 'addFaultReport' }).slice(-2);
		expect(sent[1].messageId).toBe(sent[0].messageId);
		expect(repeat.json.error).toMatchObject({
			errorKind: 'rejected',
			errorCode: '409',
			buyerFaultReference: first.json.buyerFaultReference,
			messageId: first.json.messageId,
		});
	});
});

describe('secrets', () => {
	it('never reach an output or an error, even with the exchanged XML and the full response', async () => {
		const collector = new SecretCollector();
		const { buyer } = sandbox().certs;
		collector.addSecret('private key', buyer.key).addSecret('encrypted private key', buyer.encryptedKey).addSecret('passphrase', buyer.passphrase);
		const options = { includeXml: true, output: 'full' };
		collector.record('raise', await execute(raiseParameters({ options })));
		collector.record('rejected', await execute(raiseParameters({ serviceAffected: 'SERVICE-9999', options }), { continueOnFail: true }));
		sandbox().control.injectFault({ kind: 'status', status: 500, operation: 'addFaultReport' });
		await collector.observe('fault', execute(raiseParameters({ options }))).catch(() => undefined);
		const wrongPassphrase = sandboxCredentials(sandbox(), { passphrase: 'not-the-passphrase' });
		await collector.observe('bad passphrase', executeNode({ parameters: raiseParameters({ options }), credentials: wrongPassphrase })).catch(() => undefined);
		expect(collector.recordedCount).toBeGreaterThan(3);
		expect(collector.leaks()).toEqual([]);
	});
});
