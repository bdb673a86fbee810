import type { OperationName } from '../../nodes/CityFibre/catalogue';
import { OPERATIONS } from '../../nodes/CityFibre/catalogue';
import type { WritableObject } from '../../nodes/CityFibre/codec';
import { readMessage, writeMessage } from '../../nodes/CityFibre/codec';
import { fullOutput, messagesOf, outputOf, simplifiedOutput } from '../../nodes/CityFibre/actions/output';
import { triageFindings } from '../../nodes/CityFibre/actions/serviceDiagnostics/triage';
import type { CityFibreResult } from '../../nodes/CityFibre/transport';

const header = { apiVersion: '1.1', buyerIdentifier: 'SPDEV1', sentAt: '2025-06-02T08:41:08Z', messageId: 'M-1' };

/** A result as the transport returns it, from a response really written and read by the codec. */
function resultOf(operation: OperationName, response: WritableObject, request: WritableObject = {}): CityFibreResult {
	const responseXml = writeMessage(OPERATIONS[operation].response, response);
	return {
		operation,
		url: `https://127.0.0.1/cfsit/api2/${operation}`,
		messageId: 'M-1',
		request,
		requestXml: '<request/>',
		httpStatus: 200,
		responseXml,
		response: readMessage(responseXml),
		attempts: 1,
	};
}

const diagnostics = {
	...header,
	serviceId: 'SVC-1',
	supplierDiagnostics: {
		ontStatus: { status: 'Service Down', lastEventTime: '2025-06-02T07:29:00Z', changeFromPrevious: 'Service Up' },
		cfmStatus: { status: 'Down CF' },
		uniPortStatus: { status: 'Up' },
		nodes: [
			{ name: 'ENNI-1', role: 'ENNI', rag: 'Green' },
			{ name: 'PON-7', role: 'PON', rag: 'Red' },
		],
		utilisation: 'Normal',
	},
	responseCode: '0',
};

describe('simplified output', () => {
	it('gives a Raise the status, the references, the response code, the messages and the message ID', () => {
		const result = resultOf('addFaultReport', { ...header, buyerFaultReference: 'B-1', status: 'Pending', responseCode: '0' }, { buyerFaultReference: 'B-1' });
		expect(simplifiedOutput(result)).toEqual({
			messageId: 'M-1',
			buyerFaultReference: 'B-1',
			status: 'Pending',
			responseCode: '0',
			messages: [],
			operation: 'addFaultReport',
		});
	});

	it('leaves the header noise (API version, buyer identifier, sent at) out', () => {
		const json = simplifiedOutput(resultOf('amendFaultReport', { ...header, responseCode: '0' }));
		expect(json).not.toHaveProperty('apiVersion');
		expect(json).not.toHaveProperty('sentAt');
		expect(json).not.toHaveProperty('buyerIdentifier');
	});

	it('copies the ticket references from the request when the response does not repeat them', () => {
		const json = simplifiedOutput(
			resultOf('requestFaultReportUpdate', { ...header, responseCode: '0' }, { buyerFaultReference: 'B-1', maintainerFaultReference: 'CF-9' }),
		);
		expect(json).toMatchObject({ buyerFaultReference: 'B-1', maintainerFaultReference: 'CF-9' });
	});

	it('flattens a reservation: key, slot and the correlation ID a later Raise or amendment needs', () => {
		const response = {
			message: { messageId: 'M-1', correlationId: 'C-7', sentAt: '2025-06-02T08:25:01Z' },
			buyer: { buyerIdentifier: 'SPDEV1' },
			seller: { sellerIdentifier: 'CITYFIBRE' },
			appointmentReservationKey: 'RES-1',
			appointmentSlot: { appointmentDate: '2025-06-03', appointmentStartTime: '08:00', appointmentEndTime: '13:00' },
			responseCode: '0',
		};
		expect(simplifiedOutput(resultOf('reserveAppointment', response))).toEqual({
			messageId: 'M-1',
			correlationId: 'C-7',
			appointmentReservationKey: 'RES-1',
			appointmentDate: '2025-06-03',
			appointmentStartTime: '08:00',
			appointmentEndTime: '13:00',
			responseCode: '0',
			messages: [],
			operation: 'reserveAppointment',
		});
	});

	it('keeps available slots as a list', () => {
		const response = {
			message: { messageId: 'M-1', correlationId: 'C-7', sentAt: '2025-06-02T08:25:01Z' },
			appointmentSlots: [
				{ appointmentDate: '2025-06-03', appointmentStartTime: '08:00', appointmentEndTime: '13:00' },
				{ appointmentDate: '2025-06-03', appointmentStartTime: '13:00', appointmentEndTime: '18:00' },
			],
			responseCode: '0',
		};
		const json = simplifiedOutput(resultOf('queryAppointmentAvailability', response));
		expect(json.appointmentSlots).toEqual(response.appointmentSlots);
	});

	it('names repeated diagnostic fields after their group', () => {
		const json = simplifiedOutput(resultOf('requestServiceDiagnostics', diagnostics));
		expect(json).toMatchObject({
			serviceId: 'SVC-1',
			ontStatus: 'Service Down',
			ontStatusLastEventTime: '2025-06-02T07:29:00Z',
			ontStatusChangeFromPrevious: 'Service Up',
			cfmStatus: 'Down CF',
			uniPortStatus: 'Up',
			utilisation: 'Normal',
		});
		expect(json.nodes).toHaveLength(2);
	});

	it('keeps a response element the catalogue does not know yet', () => {
		const json = simplifiedOutput(resultOf('amendFaultReport', { ...header, responseCode: '0', estimatedFixTime: '2025-06-03T12:00:00Z' }));
		expect(json.estimatedFixTime).toBe('2025-06-03T12:00:00Z');
	});
});

describe("CityFibre's messages", () => {
	it('lists every text of an errorMessage, whatever its shape', () => {
		expect(messagesOf('Invalid ServiceID')).toEqual(['Invalid ServiceID']);
		expect(messagesOf({ message: [{ text: 'A' }, { text: 'B' }] } as never)).toEqual(['A', 'B']);
		expect(messagesOf({ code: 'E1', text: 'Bad' })).toEqual(['E1; Bad']);
		expect(messagesOf(undefined)).toEqual([]);
	});
});

describe('full output and XML', () => {
	it('gives the whole parsed response and the values sent', () => {
		const result = resultOf('addFaultReport', { ...header, buyerFaultReference: 'B-1', status: 'In-Progress', responseCode: '0' }, { serviceAffected: 'S' });
		const json = fullOutput(result);
		expect(json).toMatchObject({ operation: 'addFaultReport', messageId: 'M-1', httpStatus: 200, attempts: 1, responseName: 'addFaultReportResponse' });
		expect(json.response).toMatchObject({ buyerFaultReference: 'B-1', status: 'In Progress' });
		expect(json.originalSpellings).toEqual({ status: 'In-Progress' });
		expect(json.request).toEqual({ serviceAffected: 'S' });
	});

	it('lists no original spelling where CityFibre already used the canonical one', () => {
		const json = fullOutput(resultOf('addFaultReport', { ...header, buyerFaultReference: 'B-1', status: 'Pending', responseCode: '0' }));
		expect((json.response as { status: string }).status).toBe('Pending');
		expect(json).not.toHaveProperty('originalSpellings');
	});

	it('adds the exchanged XML only when asked', () => {
		const result = resultOf('amendFaultReport', { ...header, responseCode: '0' });
		expect(outputOf(result, 'simplified', false)).not.toHaveProperty('requestXml');
		expect(outputOf(result, 'simplified', true)).toMatchObject({ requestXml: '<request/>', responseXml: result.responseXml });
	});
});

describe('triage findings for a following Raise', () => {
	it('summarises every diagnostic result with its label', () => {
		const result = resultOf('requestServiceDiagnostics', diagnostics);
		expect(triageFindings(result.response.body)).toBe(
			'ONT Status: Service Down (Last Event Time: 2025-06-02T07:29:00Z, Change From Previous: Service Up); CFM Status: Down CF; UNI Port Status: Up; Nodes: ENNI-1 ENNI Green, PON-7 PON Red; Utilisation: Normal',
		);
	});

	it('includes a result the catalogue does not name yet', () => {
		const result = resultOf('requestServiceDiagnostics', { ...diagnostics, supplierDiagnostics: { lightLevel: '-31dBm' } });
		expect(triageFindings(result.response.body)).toBe('lightLevel: -31dBm');
	});

	it('says so when there are no results', () => {
		expect(triageFindings(resultOf('requestServiceDiagnostics', { ...header, responseCode: '0' }).response.body)).toBe(
			'CityFibre returned no diagnostic results',
		);
	});
});
