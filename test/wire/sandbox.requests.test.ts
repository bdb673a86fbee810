/**
 * How the sandbox answers the Buyer's requests: addFaultReport is Pending or Rejected with the
 * reason; every other operation refuses invalid input with HTTP 400 and names the field; hostile
 * or malformed XML gets a fault and the sandbox keeps serving.
 */
import type { WritableObject } from '../../nodes/CityFibre/codec';
import { callOperation, postXml } from '../support/https';
import { faultReportValues, raiseFaultReport, startTestSandbox, useSandbox } from '../support/sandbox';

const sandbox = useSandbox({ serviceIds: ['EXTRA-SVC-1'] });

async function raise(values: WritableObject) {
	const result = await callOperation(sandbox().baseUrl, 'addFaultReport', values, sandbox().tls);
	expect(result.status).toBe(200);
	return result.message.body;
}

async function reserve(date: string, start = '08:00', end = '13:00') {
	const result = await callOperation(
		sandbox().baseUrl,
		'reserveAppointment',
		{ appointmentSlot: { appointmentDate: date, appointmentStartTime: start, appointmentEndTime: end }, appointmentType: 'REPAIR', productName: 'ftthl2r', addressKey: '100023336956' },
		sandbox().tls,
	);
	return String(result.message.body.appointmentReservationKey);
}

/** A bookable date (Monday–Saturday, after tomorrow) on a sandbox clock reading `nowIso`. */
function bookableDateOf(nowIso: string): string {
	const day = new Date(Date.parse(nowIso) + 2 * 24 * 3600 * 1000);
	if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
	return day.toISOString().slice(0, 10);
}

const bookableDate = () => bookableDateOf(sandbox().control.clock().now);

const outage = (key?: string): WritableObject =>
	faultReportValues({
		faultDetails: { description: 'Total loss of service', type: 'Service Outage' },
		...(key ? { appointment: { appointmentReservationKey: key } } : {}),
	});

describe('addFaultReport', () => {
	it('answers Pending with the buyer reference and a success responseCode, echoing the messageId', async () => {
		const values = faultReportValues();
		const result = await callOperation(sandbox().baseUrl, 'addFaultReport', values, sandbox().tls);
		expect(result.status).toBe(200);
		expect(result.message.name).toBe('addFaultReportResponse');
		expect(result.message.body).toMatchObject({
			buyerFaultReference: values.buyerFaultReference,
			status: 'Pending',
			responseCode: '0',
			messageId: result.sent.messageId,
		});
		expect(sandbox().control.ticket({ ref: String(values.buyerFaultReference) }).status).toBe('Pending');
	});

	it.each([
		['serviceAffected', (v: WritableObject) => delete v.serviceAffected],
		['faultDetails.description', (v: WritableObject) => delete (v.faultDetails as WritableObject).description],
		['reporterContactDetails', (v: WritableObject) => delete v.reporterContactDetails],
	])('rejects missing mandatory data, naming %s', async (path, remove) => {
		const values = faultReportValues();
		remove(values);
		const body = await raise(values);
		expect(body.status).toBe('Rejected');
		expect(body.responseCode).toBe('400');
		expect(body.errorMessage).toContain(`${path}: is required`);
		expect(() => sandbox().control.ticket({ ref: String(values.buyerFaultReference) })).toThrow(/no fault report/);
	});

	it('rejects an unknown service ID, and accepts it once added through the control interface', async () => {
		const body = await raise(faultReportValues({ serviceAffected: 'NOT-A-SERVICE-77' }));
		expect(body).toMatchObject({ status: 'Rejected', responseCode: '404', errorMessage: 'serviceAffected: unknown service ID "NOT-A-SERVICE-77"' });
		sandbox().control.addServices({ serviceIds: ['NOT-A-SERVICE-77'] });
		expect((await raise(faultReportValues({ serviceAffected: 'NOT-A-SERVICE-77' }))).status).toBe('Pending');
	});

	it('accepts a service ID given as a start option', async () => {
		expect((await raise(faultReportValues({ serviceAffected: 'EXTRA-SVC-1' }))).status).toBe('Pending');
	});

	it('rejects a duplicate buyerFaultReference', async () => {
		const ref = await raiseFaultReport(sandbox());
		const body = await raise(faultReportValues({ buyerFaultReference: ref }));
		expect(body).toMatchObject({ status: 'Rejected', responseCode: '409', buyerFaultReference: ref });
		expect(body.errorMessage).toContain('already used');
	});

	it('rejects a Service Outage without an appointment reservation key', async () => {
		const body = await raise(outage());
		expect(body.status).toBe('Rejected');
		expect(body.errorMessage).toContain('appointment.appointmentReservationKey: A Service Outage fault needs an appointment reservation key');
	});

	it('rejects a reservation key on a fault that is not a Service Outage', async () => {
		const key = await reserve(bookableDate());
		const body = await raise(faultReportValues({ appointment: { appointmentReservationKey: key } }));
		expect(body.status).toBe('Rejected');
		expect(body.errorMessage).toContain('Only Service Outage faults may carry an appointment reservation key');
	});

	it('rejects an unknown reservation key', async () => {
		const body = await raise(outage('RES-NEVER-ISSUED'));
		expect(body).toMatchObject({ status: 'Rejected', responseCode: '404' });
		expect(body.errorMessage).toContain('unknown reservation key "RES-NEVER-ISSUED"');
	});

	it('rejects a reservation key already used by another fault report', async () => {
		const key = await reserve(bookableDate(), '13:00', '18:00');
		expect((await raise(outage(key))).status).toBe('Pending');
		const body = await raise(outage(key));
		expect(body).toMatchObject({ status: 'Rejected', responseCode: '409' });
		expect(body.errorMessage).toContain('already used by fault report');
	});

	it('rejects a reservation key that expired (24 simulated hours)', async () => {
		const own = await startTestSandbox();
		try {
			const reserved = await callOperation(
				own.baseUrl,
				'reserveAppointment',
				{
					appointmentSlot: { appointmentDate: bookableDateOf(own.control.clock().now), appointmentStartTime: '08:00', appointmentEndTime: '13:00' },
					appointmentType: 'REPAIR',
					productName: 'ftthl2r',
					addressKey: '100023336956',
				},
				own.tls,
			);
			own.control.advanceClock({ hours: 25 });
			const result = await callOperation(
				own.baseUrl,
				'addFaultReport',
				outage(String(reserved.message.body.appointmentReservationKey)),
				own.tls,
			);
			expect(result.message.body).toMatchObject({ status: 'Rejected', responseCode: '409' });
			expect(result.message.body.errorMessage).toMatch(/expired at .*reserve the appointment again/);
		} finally {
			await own.stop();
		}
	});
});

describe('the other operations', () => {
	it('answer a validation failure with HTTP 400, the header, a responseCode and an errorMessage naming the field', async () => {
		const result = await callOperation(sandbox().baseUrl, 'resolveResponse', { buyerFaultReference: 'X-1', resolveAccepted: false }, sandbox().tls);
		expect(result.status).toBe(400);
		expect(result.message.name).toBe('resolveResponseResponse');
		expect(result.message.body).toMatchObject({ buyerIdentifier: 'SPDEV1', messageId: result.sent.messageId, responseCode: '400' });
		expect(result.message.body.errorMessage).toBe('rejectedReason: Rejecting a resolution needs a reason');
	});

	it('refuse a ticket the sandbox does not know with HTTP 200 and responseCode 404', async () => {
		const result = await callOperation(
			sandbox().baseUrl,
			'requestFaultReportUpdate',
			{ buyerFaultReference: 'NO-SUCH-REF', maintainerFaultReference: 'CF-999999' },
			sandbox().tls,
		);
		expect(result.status).toBe(200);
		expect(result.message.body).toMatchObject({ responseCode: '404', errorMessage: 'buyerFaultReference: no fault report "NO-SUCH-REF"' });
	});

	it('refuse a maintainerFaultReference that is not the ticket’s', async () => {
		const ref = await raiseFaultReport(sandbox());
		sandbox().control.setStatus({ ref, status: 'Accepted' });
		const result = await callOperation(sandbox().baseUrl, 'requestFaultReportUpdate', { buyerFaultReference: ref, maintainerFaultReference: 'CF-WRONG' }, sandbox().tls);
		expect(result.message.body.responseCode).toBe('404');
		expect(result.message.body.errorMessage).toContain('"CF-WRONG" is not the reference');
	});

	it('refuse a request whose SOAP body is another operation than the path', async () => {
		const result = await callOperation(sandbox().baseUrl, 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' }, sandbox().tls);
		const answer = await postXml(`${sandbox().baseUrl}/amendFaultReport`, result.body.replace(/requestServiceDiagnosticsResponse/g, 'requestServiceDiagnostics'), sandbox().tls);
		expect(answer.status).toBe(400);
		expect(answer.body).toContain('expects &lt;amendFaultReport&gt;');
	});

	it('runs diagnostics for a known service, reporting a line that is down for the DOWN seed ID', async () => {
		const healthy = await callOperation(sandbox().baseUrl, 'requestServiceDiagnostics', { serviceId: 'SERVICE-0003' }, sandbox().tls);
		const down = await callOperation(sandbox().baseUrl, 'requestServiceDiagnostics', { serviceId: 'SERVICE-DOWN-0001' }, sandbox().tls);
		expect(healthy.message.body).toMatchObject({ responseCode: '0', supplierDiagnostics: { ontStatus: { status: 'Service Up' } } });
		expect(down.message.body).toMatchObject({ supplierDiagnostics: { ontStatus: { status: 'Dying Gasp' }, cfmStatus: { status: 'Down CF' } } });
	});
});

describe('hostile and malformed documents', () => {
	it.each([
		['not XML at all', 'this is not xml', 'Malformed'],
		['an unclosed element', '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><addFaultReport>', 'is not closed'],
		['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE x [<!ELEMENT x ANY>]><x/>', 'DOCTYPE'],
		['an entity bomb', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><x>&lol2;</x>', 'Entity'],
		['an external entity', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>', 'Entity'],
	])('answers %s with a 400 CityFibre fault and keeps serving', async (_, xml, reason) => {
		const answer = await postXml(`${sandbox().baseUrl}/addFaultReport`, xml, sandbox().tls);
		expect(answer.status).toBe(400);
		expect(answer.body).toContain('<faultmessage>Malformed request</faultmessage>');
		expect(answer.body).toContain(reason);
		expect(answer.body).not.toContain('root:');
		expect((await callOperation(sandbox().baseUrl, 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' }, sandbox().tls)).status).toBe(200);
	});

	it('answers a body over the size limit with 413', async () => {
		const answer = await postXml(`${sandbox().baseUrl}/addFaultReport`, `<x>${'a'.repeat(1024 * 1024 + 10)}</x>`, sandbox().tls);
		expect(answer.status).toBe(413);
	});

	it('records each exchange with its outcome', () => {
		const outcomes = new Set(sandbox().control.exchanges().map((e) => e.outcome));
		expect([...outcomes].sort()).toEqual(expect.arrayContaining(['invalid', 'malformed', 'ok', 'refused', 'rejected']));
	});
});
