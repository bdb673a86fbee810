import { XMLParser } from 'fast-xml-parser';

import type { Field, MessageDefinition } from '../../nodes/CityFibre/catalogue';
import {
	CFH_NAMESPACE,
	MESSAGES,
	addFaultReport,
	amendFaultReport,
	faultDetailsForRaise,
	notifyFaultReportUpdate,
	queryAppointmentAvailability,
	requestFaultReportUpdate,
	reserveAppointment,
} from '../../nodes/CityFibre/catalogue';
import type { WritableObject } from '../../nodes/CityFibre/codec';
import { MessageValidationError, readMessage, writeFault, writeMessage } from '../../nodes/CityFibre/codec';
import { sampleValues } from '../support/sampleValues';

type Ordered = Array<Record<string, unknown>>;
const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '' });

/** The element children of the element at `path` (qualified names, in document order). */
function childrenAt(xml: string, ...path: string[]): string[] {
	let nodes = ordered.parse(xml) as Ordered;
	for (const name of path) {
		const next = nodes.find((n) => name in n);
		if (!next) throw new Error(`no <${name}> in ${path.join('/')}`);
		nodes = next[name] as Ordered;
	}
	return nodes.flatMap((n) => Object.keys(n).filter((k) => k !== '#text' && k !== ':@'));
}

function bodyChildren(xml: string): string[] {
	return childrenAt(xml, 'soap:Envelope', 'soap:Body');
}

function qualifiedNames(fields: readonly Field[]): string[] {
	return fields.map((f) => (f.prefix ? `${f.prefix}:${f.name}` : f.name));
}

/** The same keys in reverse order: the writer must not follow the caller's key order. */
function reversed(values: WritableObject): WritableObject {
	return Object.fromEntries(Object.entries(values).reverse());
}

function usesCfh(fields: readonly Field[]): boolean {
	return fields.some(
		(f) =>
			f.prefix === 'cfh' ||
			(f.kind === 'group' && usesCfh(f.fields)) ||
			(f.kind === 'list' && usesCfh(f.itemFields)),
	);
}

const byName = MESSAGES.map((definition) => [definition.name, definition] as const);

const minimalUpdateRequest = {
	apiVersion: '1.1',
	buyerIdentifier: 'SPDEV1',
	sentAt: '2025-06-03T07:00:00Z',
	messageId: 'c3e1f0aa-2b9d-4a57-9d0c-8f5e3a2b1d44',
	maintainerFaultReference: 'CF-REF-0001',
	buyerFaultReference: 'ISP-FLT-100234',
};

function refusal(definition: MessageDefinition, values: WritableObject): MessageValidationError {
	try {
		writeMessage(definition, values);
	} catch (error) {
		if (error instanceof MessageValidationError) return error;
		throw error;
	}
	throw new Error('writeMessage did not refuse');
}

describe('writeMessage', () => {
	it('starts with the XML declaration naming UTF-8', () => {
		expect(writeMessage(requestFaultReportUpdate, minimalUpdateRequest)).toMatch(
			/^<\?xml version="1\.0" encoding="UTF-8"\?><soap:Envelope xmlns:soap="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/"><soap:Body>/,
		);
	});

	it.each(byName)('%s: writes exactly one element in the SOAP 1.1 Body, named after the message', (name, definition) => {
		const xml = writeMessage(definition, sampleValues(definition));

		expect(bodyChildren(xml)).toEqual([name]);
		expect(childrenAt(xml, 'soap:Envelope')).toEqual(['soap:Body']);
	});

	it.each(byName)('%s: writes fields in catalogue order whatever the order of the keys', (name, definition) => {
		const xml = writeMessage(definition, reversed(sampleValues(definition)));

		expect(childrenAt(xml, 'soap:Envelope', 'soap:Body', name)).toEqual(qualifiedNames(definition.fields));
	});

	it('writes the children of a group in catalogue order too', () => {
		const values = sampleValues(addFaultReport);
		values.faultDetails = reversed(values.faultDetails as WritableObject);

		const xml = writeMessage(addFaultReport, values);

		expect(childrenAt(xml, 'soap:Envelope', 'soap:Body', 'addFaultReport', 'faultDetails')).toEqual(
			qualifiedNames(faultDetailsForRaise.fields),
		);
	});

	it('writes a list as its wrapper holding one item element per entry', () => {
		const values = sampleValues(notifyFaultReportUpdate);
		values.updates = [{ description: 'first' }, { description: 'second' }, { description: 'third' }];

		const xml = writeMessage(notifyFaultReportUpdate, values);

		expect(childrenAt(xml, 'soap:Envelope', 'soap:Body', 'notifyFaultReportUpdate', 'updates')).toEqual([
			'update',
			'update',
			'update',
		]);
	});

	it('escapes &, < and > in values and writes quotes and non-ASCII text as they are', () => {
		const xml = writeMessage(requestFaultReportUpdate, {
			...minimalUpdateRequest,
			buyerFaultReference: `Smith & Sons <"O'Brien"> café №1 ✓`,
		});

		expect(xml).toContain(`<buyerFaultReference>Smith &amp; Sons &lt;"O'Brien"&gt; café №1 ✓</buyerFaultReference>`);
		expect(readMessage(xml).body.buyerFaultReference).toBe(`Smith & Sons <"O'Brien"> café №1 ✓`);
	});

	it('writes non-ASCII text as UTF-8 bytes', () => {
		const xml = writeMessage(requestFaultReportUpdate, { ...minimalUpdateRequest, buyerFaultReference: 'café' });

		expect(Buffer.from(xml, 'utf8').includes(Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9]))).toBe(true);
	});

	it('keeps a value that looks like a number exactly as given', () => {
		const xml = writeMessage(requestFaultReportUpdate, { ...minimalUpdateRequest, maintainerFaultReference: '000123' });

		expect(xml).toContain('<maintainerFaultReference>000123</maintainerFaultReference>');
	});

	it('writes false and 0, which are values, not gaps', () => {
		const xml = writeMessage(amendFaultReport, {
			...minimalUpdateRequest,
			faultDetails: { triageComplete: false },
			extraCount: 0,
		});

		expect(xml).toContain('<faultDetails><triageComplete>false</triageComplete></faultDetails>');
		expect(xml).toContain('<extraCount>0</extraCount>');
	});

	it('leaves out optional elements that are empty, null, undefined or only hold empty children', () => {
		const xml = writeMessage(amendFaultReport, {
			...minimalUpdateRequest,
			parentFaultReference: '',
			reportDateTime: null,
			serviceAffected: undefined,
			reporterContactDetails: { phone: '', email: undefined },
			appointment: {},
		});

		expect(bodyChildren(xml)).toEqual(['amendFaultReport']);
		expect(childrenAt(xml, 'soap:Envelope', 'soap:Body', 'amendFaultReport')).toEqual([
			'apiVersion',
			'buyerIdentifier',
			'sentAt',
			'messageId',
			'buyerFaultReference',
			'maintainerFaultReference',
		]);
		expect(xml).not.toMatch(/parentFaultReference|reportDateTime|serviceAffected|reporterContactDetails|appointment/);
	});

	it.each(byName)('%s: declares the cfh namespace exactly when the message has cfh fields', (name, definition) => {
		const xml = writeMessage(definition, sampleValues(definition));

		const declaration = `<${name} xmlns:cfh="${CFH_NAMESPACE}">`;
		if (usesCfh(definition.fields)) expect(xml).toContain(declaration);
		else expect(xml).toContain(`<${name}>`);
	});

	it('declares cfh on both appointment requests and prefixes their cfh fields', () => {
		for (const definition of [queryAppointmentAvailability, reserveAppointment]) {
			const xml = writeMessage(definition, sampleValues(definition));
			expect(xml).toContain(`xmlns:cfh="http://www.cityfibre.com/ala/ext1"`);
			expect(xml).toContain('<cfh:productName>');
		}
	});

	it('writes unknown keys (Extra Fields) after the known fields of their level', () => {
		const xml = writeMessage(addFaultReport, {
			customerTier: 'gold',
			...sampleValues(addFaultReport),
			faultDetails: { ...(sampleValues(addFaultReport).faultDetails as WritableObject), lineTest: 'passed' },
		});

		const top = childrenAt(xml, 'soap:Envelope', 'soap:Body', 'addFaultReport');
		expect(top).toEqual([...qualifiedNames(addFaultReport.fields), 'customerTier']);
		expect(childrenAt(xml, 'soap:Envelope', 'soap:Body', 'addFaultReport', 'faultDetails').slice(-2)).toEqual([
			'triageFindings',
			'lineTest',
		]);
	});

	it('writes an unknown key holding an object as nested elements', () => {
		const xml = writeMessage(requestFaultReportUpdate, { ...minimalUpdateRequest, escalation: { level: '2', team: 'NOC' } });

		expect(xml).toContain('<escalation><level>2</level><team>NOC</team></escalation></requestFaultReportUpdate>');
	});

	it('refuses a control character XML cannot carry, naming the field', () => {
		const error = refusal(requestFaultReportUpdate, { ...minimalUpdateRequest, buyerFaultReference: 'ISP\u0007FLT' });

		expect(error.issues).toEqual([
			{ path: 'buyerFaultReference', message: 'contains a character XML cannot carry (U+0007 at position 4)' },
		]);
	});

	it('refuses an unpaired surrogate, naming the nested field', () => {
		const values = { ...sampleValues(addFaultReport), faultDetails: { description: 'broken \uD800 text', type: 'Impaired Service' } };

		expect(refusal(addFaultReport, values).issues).toEqual([
			{ path: 'faultDetails.description', message: 'contains a character XML cannot carry (U+D800 at position 8)' },
		]);
	});

	it('refuses an Extra Field whose name cannot be an XML element name', () => {
		expect(refusal(requestFaultReportUpdate, { ...minimalUpdateRequest, 'line test': 'passed' }).issues).toEqual([
			{ path: 'line test', message: '"line test" cannot be an XML element name' },
		]);
	});

	it('refuses an Extra Field with a prefix the message does not declare', () => {
		expect(refusal(requestFaultReportUpdate, { ...minimalUpdateRequest, 'cfh:tier': 'gold' }).issues).toEqual([
			{ path: 'cfh:tier', message: 'the prefix "cfh" is not declared on requestFaultReportUpdate' },
		]);
	});

	it('accepts a cfh-prefixed Extra Field on an appointment message', () => {
		const xml = writeMessage(queryAppointmentAvailability, { ...sampleValues(queryAppointmentAvailability), 'cfh:siteType': 'MDU' });

		expect(xml).toContain('<cfh:siteType>MDU</cfh:siteType></queryAppointmentAvailability>');
	});

	it('never repeats the excerpt mistake: the closing tag matches the opening one', () => {
		const xml = writeMessage(requestFaultReportUpdate, minimalUpdateRequest);

		expect(xml).toContain('</requestFaultReportUpdate></soap:Body></soap:Envelope>');
		expect(readMessage(xml).repairs).toEqual([]);
	});
});

describe('writeFault', () => {
	it('writes a SOAP 1.1 Fault that reads back as a soap fault', () => {
		const read = readMessage(writeFault('soap', 'soap:Server', 'Service unavailable', 'try later'));

		expect(read.fault).toEqual({ form: 'soap', code: 'soap:Server', message: 'Service unavailable', detail: 'try later' });
	});

	it("writes CityFibre's own fault element that reads back as a cityfibre fault", () => {
		const read = readMessage(writeFault('cityfibre', '401', 'Unauthorised'));

		expect(read.fault).toEqual({ form: 'cityfibre', code: '401', message: 'Unauthorised', detail: undefined });
	});
});
