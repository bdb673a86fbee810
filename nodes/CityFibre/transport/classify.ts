/**
 * What CityFibre's answer means: a result, or a CityFibreError of the right kind carrying
 * CityFibre's own code and message (reference §2.7). Pure: bytes and status in, verdict out.
 */
import type { OperationName } from '../catalogue';
import { OPERATIONS, SUCCESS_RESPONSE_CODES, businessError, sameStatus } from '../catalogue';
import type { JsonValue, ReadMessage, WritableObject } from '../codec';
import { XmlFormatError, XmlSafetyError, readMessage } from '../codec';
import { CityFibreError } from './errors';
import type { HttpAnswer } from './http';

export interface CityFibreResult {
	operation: OperationName;
	url: string;
	messageId: string;
	/** The values actually sent (auto header filled). */
	request: WritableObject;
	requestXml: string;
	httpStatus: number;
	responseXml: string;
	response: ReadMessage;
	/** How many times the request was sent (1 = no retry). */
	attempts: number;
}

export interface ExchangeContext {
	operation: OperationName;
	url: string;
	messageId: string;
	request: WritableObject;
	requestXml: string;
	attempts: number;
}

/** `errorMessage` is documented as an object whose shape is unknown: flatten whatever it holds to text. */
export function textOf(value: JsonValue | undefined): string {
	if (value === undefined) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) return value.map(textOf).filter(Boolean).join('; ');
	return Object.values(value).map(textOf).filter(Boolean).join('; ');
}

function read(answer: HttpAnswer, operation: OperationName): ReadMessage {
	const first = readMessage(answer.body);
	if (first.definition || first.fault) return first;
	// An undocumented element name: read it as the shape this status documents.
	return readMessage(answer.body, { definition: answer.status === 400 ? businessError : OPERATIONS[operation].response });
}

/** The answer as a result, or throws the CityFibreError it amounts to. */
export function classifyAnswer(answer: HttpAnswer, context: ExchangeContext): CityFibreResult {
	const responseXml = answer.body.toString('utf8');
	const { operation, messageId, requestXml, url, attempts } = context;
	const common = { operation, messageId, requestXml, responseXml, httpStatus: answer.status, url, attempts };
	const ok = answer.status >= 200 && answer.status <= 299;

	let response: ReadMessage;
	try {
		response = read(answer, operation);
	} catch (error) {
		if (!(error instanceof XmlFormatError || error instanceof XmlSafetyError)) throw error;
		if (ok) return fail('malformed', `CityFibre's answer to ${operation} cannot be read: ${error.message}`, { ...common, detail: error.message });
		return fail('http', `CityFibre answered ${operation} with HTTP ${answer.status} ${answer.statusText}`.trim(), { ...common, detail: error.message });
	}

	const { body, fault } = response;
	if (fault) {
		const message = fault.message || `CityFibre answered ${operation} with a fault`;
		return fail('fault', message, { ...common, response, code: fault.code || undefined, detail: fault.detail });
	}
	const code = textOf(body.responseCode) || undefined;
	const errorText = textOf(body.errorMessage);
	if (ok) {
		if (typeof body.status === 'string' && sameStatus(body.status, 'Rejected')) {
			return fail('rejected', errorText || `CityFibre rejected ${operation}`, { ...common, response, code });
		}
		if (code !== undefined && !SUCCESS_RESPONSE_CODES.includes(code)) {
			return fail('business', errorText || `CityFibre refused ${operation} with response code ${code}`, { ...common, response, code });
		}
		return { operation, url, messageId, request: context.request, requestXml, httpStatus: answer.status, responseXml, response, attempts };
	}
	if (answer.status === 400) {
		return fail('business', errorText || `CityFibre refused ${operation} (HTTP 400)`, { ...common, response, code });
	}
	const suffix = errorText ? `: ${errorText}` : '';
	return fail('http', `CityFibre answered ${operation} with HTTP ${answer.status} ${answer.statusText}`.trim() + suffix, { ...common, response, code });
}

function fail(kind: CityFibreError['kind'], message: string, fields: ConstructorParameters<typeof CityFibreError>[2]): never {
	throw new CityFibreError(kind, message, fields);
}
