import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ParameterError, errorJson, toNodeError } from '../../nodes/CityFibre/actions/errors';
import { CityFibreError } from '../../nodes/CityFibre/transport';

const node: INode = { id: 'n', name: 'CityFibre Ticketing', type: 'n8n-nodes-cityfibre.cityFibreTicketing', typeVersion: 1, position: [0, 0], parameters: {} };
const labels: Record<string, string> = { 'faultDetails.type': 'Fault Type', serviceAffected: 'Service ID' };
const context = { labelOf: (path: string) => labels[path], includeXml: false, buyerFaultReference: 'N8N-0001', messageId: 'M-1' };

describe('validation errors', () => {
	const error = new CityFibreError('validation', 'Invalid addFaultReport', {
		operation: 'addFaultReport',
		messageId: 'M-1',
		issues: [
			{ path: 'faultDetails.type', message: 'must be one of "Impaired Service", "Service Outage", "Performance Issue" (got "Broken")' },
			{ path: 'serviceAffected', message: 'is required' },
		],
	});

	it('become a NodeOperationError naming the editor label and the catalogue path of the first problem', () => {
		const nodeError = toNodeError(node, error, 3, context);
		expect(nodeError).toBeInstanceOf(NodeOperationError);
		expect(nodeError.message).toBe(
			'Invalid parameter: Fault Type (faultDetails.type): must be one of "Impaired Service", "Service Outage", "Performance Issue" (got "Broken") (and 1 more problem)',
		);
		expect(nodeError.context.itemIndex).toBe(3);
	});

	it('list every problem in the description and the context', () => {
		const nodeError = toNodeError(node, error, 0, context);
		expect(nodeError.description).toContain('Service ID (serviceAffected): is required');
		expect(nodeError.context.issues).toEqual([
			{ field: 'Fault Type', path: 'faultDetails.type', message: expect.stringMatching(/^must be one of/) },
			{ field: 'Service ID', path: 'serviceAffected', message: 'is required' },
		]);
	});

	it('name a credential field as the credential shows it', () => {
		const badUrl = new CityFibreError('validation', 'The base URL is empty', { issues: [{ path: 'credential.baseUrl', message: 'The base URL is empty' }] });
		expect(toNodeError(node, badUrl, 0, context).message).toBe('Invalid parameter: Credential › Base URL (credential.baseUrl): The base URL is empty');
	});

	it('name a field of the node itself (Extra Fields)', () => {
		const nodeError = toNodeError(node, new ParameterError('Options › Extra Fields › Extra Field 1 › JSON', 'is not valid JSON'), 2, context);
		expect(nodeError).toBeInstanceOf(NodeOperationError);
		expect(nodeError.message).toBe('Invalid parameter: Options › Extra Fields › Extra Field 1 › JSON: is not valid JSON');
		expect(nodeError.context.itemIndex).toBe(2);
	});
});

describe("CityFibre's refusals", () => {
	it("a rejection becomes a NodeApiError carrying CityFibre's code and message", () => {
		const rejected = new CityFibreError('rejected', 'Invalid ServiceID', { code: '1003', httpStatus: 200, operation: 'addFaultReport', messageId: 'M-1', requestXml: '<x/>' });
		const nodeError = toNodeError(node, rejected, 1, context) as NodeApiError;
		expect(nodeError).toBeInstanceOf(NodeApiError);
		expect(nodeError.message).toBe('CityFibre rejected the request: Invalid ServiceID (code 1003)');
		expect(nodeError.httpCode).toBeNull();
		expect(nodeError.context).toMatchObject({ itemIndex: 1, errorKind: 'rejected', errorCode: '1003', operation: 'addFaultReport', buyerFaultReference: 'N8N-0001' });
		expect(nodeError.context).not.toHaveProperty('requestXml');
	});

	it('an HTTP 400 keeps its status as the httpCode', () => {
		const business = new CityFibreError('business', 'Ticket is closed', { code: '4002', httpStatus: 400 });
		const nodeError = toNodeError(node, business, 0, context) as NodeApiError;
		expect(nodeError.httpCode).toBe('400');
		expect(nodeError.message).toBe('CityFibre refused the request: Ticket is closed (code 4002)');
	});

	it('a fault keeps its fault code and detail', () => {
		const fault = new CityFibreError('fault', 'Certificate not registered', { code: 'AUTH-01', httpStatus: 401, detail: 'CN=isp' });
		const nodeError = toNodeError(node, fault, 0, context) as NodeApiError;
		expect(nodeError.message).toBe('CityFibre returned a fault: Certificate not registered (code AUTH-01)');
		expect(nodeError.httpCode).toBe('401');
		expect(nodeError.description).toContain('Detail: CN=isp');
	});

	it('a TLS failure says what to do about it', () => {
		const tls = new CityFibreError('tls', 'The server at 127.0.0.1:1 refused the client certificate.', { code: 'certificateRefused', hint: 'Check the certificate.' });
		const nodeError = toNodeError(node, tls, 0, context);
		expect(nodeError).toBeInstanceOf(NodeApiError);
		expect(nodeError.message).toBe('The server at 127.0.0.1:1 refused the client certificate.');
		expect(nodeError.context).toMatchObject({ errorKind: 'tls', errorCode: 'certificateRefused' });
		expect(nodeError.description).toContain('Check the certificate.');
	});

	it('carries the exchanged XML only when the user asked for it', () => {
		const rejected = new CityFibreError('rejected', 'No', { requestXml: '<req/>', responseXml: '<res/>' });
		expect(toNodeError(node, rejected, 0, { ...context, includeXml: true }).context).toMatchObject({ requestXml: '<req/>', responseXml: '<res/>' });
	});
});

describe('the JSON of a failed item', () => {
	it('holds the message, the description, the HTTP code and the details under its one key, error', () => {
		const business = new CityFibreError('business', 'Ticket is closed', { code: '4002', httpStatus: 400, operation: 'amendFaultReport', messageId: 'M-1' });
		expect(errorJson(toNodeError(node, business, 4, context))).toEqual({
			error: {
				message: 'CityFibre refused the request: Ticket is closed (code 4002)',
				description: 'Operation: amendFaultReport\nMessage ID: M-1\nHTTP status: 400',
				httpCode: '400',
				errorKind: 'business',
				errorCode: '4002',
				httpStatus: 400,
				operation: 'amendFaultReport',
				messageId: 'M-1',
				buyerFaultReference: 'N8N-0001',
			},
		});
	});

	it('keeps an n8n error that is already one, stamping the item', () => {
		const existing = new NodeOperationError(node, 'Something else');
		expect(toNodeError(node, existing, 5, context)).toBe(existing);
		expect(existing.context.itemIndex).toBe(5);
	});
});
