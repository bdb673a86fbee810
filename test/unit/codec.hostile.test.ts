/**
 * Hostile and broken documents each get their own error, naming the rule that was hit. How fast
 * they are refused is shown by `npm run bench`, never asserted here.
 */
import { DEFAULT_LIMITS, XmlFormatError, XmlSafetyError, readMessage } from '../../nodes/CityFibre/codec';
import * as hostile from '../support/hostileDocuments';

function errorOf(read: () => unknown): unknown {
	try {
		read();
	} catch (error) {
		return error;
	}
	throw new Error('the document was read, not refused');
}

describe('readMessage refuses hostile documents before parsing them', () => {
	it.each([
		['a DOCTYPE', 'doctype', hostile.doctype],
		['a billion-laughs entity bomb', 'entity', hostile.entityBomb],
		['an external entity (XXE)', 'entity', hostile.externalEntity],
		['a 50 MB document', 'size', hostile.oversized],
		['a 50 MB document as a Buffer', 'size', () => Buffer.from(hostile.oversized())],
		['10,000-deep nesting', 'depth', hostile.deepNesting],
		['20,000 elements in 90 kB', 'elements', hostile.manyElements],
	])('refuses %s with XmlSafetyError limit "%s"', (_, limit, build) => {
		const error = errorOf(() => readMessage(build()));

		expect(error).toBeInstanceOf(XmlSafetyError);
		expect(error).toMatchObject({ name: 'XmlSafetyError', limit });
	});

	it('says how large the document was and what the limit is', () => {
		expect(errorOf(() => readMessage(hostile.oversized(2 * 1024 * 1024)))).toMatchObject({
			message: 'Document too large: 2097152 bytes, the limit is 1048576',
		});
	});

	it('says which depth was exceeded', () => {
		expect(errorOf(() => readMessage(hostile.deepNesting()))).toMatchObject({ message: 'Nesting too deep: more than 64 levels' });
	});

	it('never quotes the document in its message', () => {
		const error = errorOf(() => readMessage(hostile.externalEntity())) as Error;

		expect(error.message).not.toContain('/etc/passwd');
		expect(error.message).toBe('Entity declarations are refused (a DOCTYPE declaring entities)');
	});

	it('has default limits of 1 MiB, 64 levels and 10,000 elements', () => {
		expect(DEFAULT_LIMITS).toEqual({ maxBytes: 1_048_576, maxDepth: 64, maxElements: 10_000 });
	});

	it('applies limits given by the caller instead of the defaults', () => {
		const notification = hostile.envelope('<notifyFaultReportUpdate><messageId>CF-1</messageId></notifyFaultReportUpdate>');

		expect(errorOf(() => readMessage(notification, { limits: { maxBytes: 100 } }))).toMatchObject({ limit: 'size' });
		expect(errorOf(() => readMessage(notification, { limits: { maxDepth: 3 } }))).toMatchObject({ limit: 'depth' });
		expect(errorOf(() => readMessage(notification, { limits: { maxElements: 3 } }))).toMatchObject({ limit: 'elements' });
	});

	it('reads a document at exactly the depth limit', () => {
		const depth = DEFAULT_LIMITS.maxDepth - 4; // Envelope, Body, notifyFaultReportUpdate and the update list wrapper
		const xml = hostile.envelope(`<notifyFaultReportUpdate><x>${'<y>'.repeat(depth - 1)}${'</y>'.repeat(depth - 1)}</x></notifyFaultReportUpdate>`);

		expect(readMessage(xml).name).toBe('notifyFaultReportUpdate');
	});
});

describe('readMessage refuses documents that are not one SOAP message', () => {
	it.each([
		['an Envelope in a namespace that is not SOAP', 'envelope', hostile.wrongEnvelopeNamespace],
		['an Envelope without a Body', 'envelope', hostile.envelopeWithoutBody],
		['two elements in the Body', 'body', hostile.twoBodyElements],
		['an empty Body', 'body', () => hostile.envelope('')],
		['something that is not XML at all', 'malformed', hostile.notXml],
		['an empty document', 'malformed', () => ''],
		['an unclosed tag', 'malformed', hostile.unclosedTag],
		['a closing tag with no opening tag', 'malformed', () => '<messageId>CF-1</messageId></notifyFaultReportUpdate>'],
		['two root elements', 'malformed', () => '<messageId>CF-1</messageId><messageId>CF-2</messageId>'],
		['a bare < in text', 'malformed', () => '<serviceAffected>a < b</serviceAffected>'],
		['an element named __proto__', 'malformed', () => '<notifyFaultReportUpdate><__proto__><x>1</x></__proto__></notifyFaultReportUpdate>'],
	])('refuses %s with XmlFormatError problem "%s"', (_, problem, build) => {
		const error = errorOf(() => readMessage(build()));

		expect(error).toBeInstanceOf(XmlFormatError);
		expect(error).toMatchObject({ name: 'XmlFormatError', problem });
	});

	it('names the namespace it found on a wrong envelope', () => {
		expect(errorOf(() => readMessage(hostile.wrongEnvelopeNamespace()))).toMatchObject({
			message: 'Not a SOAP envelope: namespace http://example.com/not-soap/ is neither SOAP 1.1 nor 1.2',
		});
	});

	it('counts the elements it found in the Body', () => {
		expect(errorOf(() => readMessage(hostile.twoBodyElements()))).toMatchObject({
			message: 'The SOAP Body must hold exactly one element, found 2',
		});
	});

	it('names the element left open', () => {
		expect(errorOf(() => readMessage(hostile.unclosedTag()))).toMatchObject({
			message: 'Malformed XML: <notifyFaultReportUpdate> is not closed',
		});
	});
});
