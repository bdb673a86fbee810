import { OPERATIONS, businessError } from '../../nodes/CityFibre/catalogue';
import { writeFault, writeMessage } from '../../nodes/CityFibre/codec';
import { classifyAnswer } from '../../nodes/CityFibre/transport/classify';
import { CityFibreError } from '../../nodes/CityFibre/transport/errors';

const header = { apiVersion: '1.1', buyerIdentifier: 'SPDEV1', sentAt: '2026-01-02T09:00:00Z', messageId: 'm-1' };
const context = {
	operation: 'addFaultReport' as const,
	url: 'https://127.0.0.1:41223/cfsit/api2/addFaultReport',
	messageId: 'm-1',
	request: { buyerFaultReference: 'BFR-1' },
	requestXml: '<request/>',
	attempts: 1,
};

function answer(status: number, xml: string, statusText = '') {
	return { status, statusText, body: Buffer.from(xml, 'utf8') };
}

function errorOf(status: number, xml: string, statusText = ''): CityFibreError {
	try {
		classifyAnswer(answer(status, xml, statusText), context);
	} catch (error) {
		if (error instanceof CityFibreError) return error;
		throw error;
	}
	throw new Error('expected a CityFibreError');
}

const addResponse = (values: object) => writeMessage(OPERATIONS.addFaultReport.response, { ...header, buyerFaultReference: 'BFR-1', ...values });

describe('classifyAnswer', () => {
	it('returns a Pending answer with a success code as a result carrying the parsed response', () => {
		const result = classifyAnswer(answer(200, addResponse({ status: 'Pending', responseCode: '0' })), context);
		expect(result).toMatchObject({ operation: 'addFaultReport', httpStatus: 200, messageId: 'm-1', attempts: 1, url: context.url });
		expect(result.response.body).toMatchObject({ status: 'Pending', responseCode: '0', buyerFaultReference: 'BFR-1' });
		expect(result.responseXml).toContain('<status>Pending</status>');
	});

	it('makes a Rejected status a "rejected" error with the response code and error message', () => {
		const error = errorOf(200, addResponse({ status: 'Rejected', responseCode: '400', errorMessage: 'Unknown service ID' }));
		expect(error).toMatchObject({ kind: 'rejected', code: '400', message: 'Unknown service ID', httpStatus: 200, operation: 'addFaultReport', messageId: 'm-1' });
		expect(error.response?.body.status).toBe('Rejected');
	});

	it('recognises Rejected in any spelling', () => {
		expect(errorOf(200, addResponse({ status: 'REJECTED', responseCode: '400', errorMessage: 'x' })).kind).toBe('rejected');
	});

	it('makes a 200 with a response code outside the success codes a "business" error', () => {
		const error = errorOf(200, addResponse({ status: 'Pending', responseCode: '17', errorMessage: 'Duplicate reference' }));
		expect(error).toMatchObject({ kind: 'business', code: '17', message: 'Duplicate reference' });
	});

	it('makes HTTP 400 a "business" error with responseCode and errorMessage', () => {
		const xml = writeMessage(businessError, { ...header, responseCode: '400', errorMessage: 'faultDetails.type is missing' });
		expect(errorOf(400, xml)).toMatchObject({ kind: 'business', code: '400', message: 'faultDetails.type is missing', httpStatus: 400 });
	});

	it('flattens an errorMessage object into its texts', () => {
		const xml = writeMessage(businessError, { ...header, responseCode: '400', errorMessage: { field: 'serviceId', reason: 'unknown' } });
		expect(errorOf(400, xml).message).toBe('serviceId; unknown');
	});

	it.each([401, 403, 500])('makes HTTP %i with a CityFibre fault a "fault" error with code, message and detail', (status) => {
		const error = errorOf(status, writeFault('cityfibre', String(status), 'Unauthorised', 'Client certificate not registered for buyer SPDEV1'));
		expect(error).toMatchObject({
			kind: 'fault',
			code: String(status),
			message: 'Unauthorised',
			detail: 'Client certificate not registered for buyer SPDEV1',
			httpStatus: status,
		});
	});

	it('makes a SOAP Fault a "fault" error too', () => {
		const error = errorOf(500, writeFault('soap', 'soap:Server', 'Backend unavailable', 'try later'));
		expect(error).toMatchObject({ kind: 'fault', code: 'soap:Server', message: 'Backend unavailable', detail: 'try later' });
	});

	it('makes another status with an unreadable body an "http" error naming the status', () => {
		const error = errorOf(502, '<html><body>Bad Gateway</body>', 'Bad Gateway');
		expect(error).toMatchObject({ kind: 'http', httpStatus: 502, message: 'CityFibre answered addFaultReport with HTTP 502 Bad Gateway' });
		expect(error.responseXml).toBe('<html><body>Bad Gateway</body>');
	});

	it('makes an unreadable 200 a "malformed" error', () => {
		const error = errorOf(200, 'not xml at all <');
		expect(error.kind).toBe('malformed');
		expect(error.message).toMatch(/^CityFibre's answer to addFaultReport cannot be read: /);
	});

	it('keeps the request XML on every error, for the user to inspect', () => {
		expect(errorOf(500, writeFault('cityfibre', '500', 'Down')).requestXml).toBe('<request/>');
	});
});
