/**
 * What holds for the whole catalogue, so that everything derived from it (node fields, writer,
 * validator, reader, sandbox) can rely on it. Facts checked against CityFibre's own examples live
 * in codec.excerpt.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Field, MessageDefinition } from '../../nodes/CityFibre/catalogue';
import {
	ACK_VALID,
	CFH_NAMESPACE,
	ENVIRONMENTS,
	FAULT_TYPES,
	GATEWAY_PATH_PREFIXES,
	MESSAGES,
	OPERATIONS,
	OPERATION_NAMES,
	SERVICE_OUTAGE,
	alaHeader,
	isOperationName,
	messageByName,
	ticketingHeader,
} from '../../nodes/CityFibre/catalogue';
import { readMessage } from '../../nodes/CityFibre/codec';

const CONFIDENCES = ['DOC', 'EXCERPT', 'ANALOG', 'INF'];

function allFields(fields: readonly Field[]): Field[] {
	return fields.flatMap((f) => [
		f,
		...(f.kind === 'group' ? allFields(f.fields) : f.kind === 'list' ? allFields(f.itemFields) : []),
	]);
}

function levels(fields: readonly Field[]): Array<readonly Field[]> {
	return [
		fields,
		...fields.flatMap((f) => (f.kind === 'group' ? levels(f.fields) : f.kind === 'list' ? levels(f.itemFields) : [])),
	];
}

const byName = MESSAGES.map((m) => [m.name, m] as const);
const operations = OPERATION_NAMES.map((name) => [name, OPERATIONS[name]] as const);

describe('MESSAGES', () => {
	it('gives every message a different element name', () => {
		const names = MESSAGES.map((m) => m.name);
		expect(new Set(names).size).toBe(names.length);
	});

	it.each(byName)('finds %s by its element name', (name, definition) => {
		expect(messageByName(name)).toBe(definition);
	});

	it('finds nothing for an element it does not describe', () => {
		expect(messageByName('notifyTicketMerged')).toBeUndefined();
	});

	it.each(byName)('%s: every field has a label, a description and a known confidence tag', (_, definition) => {
		for (const field of allFields(definition.fields)) {
			expect(field.displayName).not.toBe('');
			expect(field.description).not.toBe('');
			expect(CONFIDENCES).toContain(field.confidence);
		}
		expect(CONFIDENCES).toContain(definition.confidence);
	});

	it.each(byName)('%s: no two fields at one level share a name', (_, definition) => {
		for (const level of levels(definition.fields)) {
			const names = level.map((f) => f.name);
			expect(new Set(names).size).toBe(names.length);
		}
	});

	it.each(byName)('%s: declares the cfh namespace when it has cfh fields', (_, definition) => {
		const prefixed = allFields(definition.fields).some((f) => f.prefix === 'cfh');
		expect(definition.namespaces?.cfh).toBe(prefixed ? CFH_NAMESPACE : undefined);
	});

	it.each(byName)('%s: every cross-field rule points at fields that exist', (_, definition) => {
		const paths = new Set(pathsOf(definition.fields));
		for (const rule of definition.rules ?? []) {
			expect(paths).toContain(rule.field);
			if (rule.kind === 'requiredWhen') expect(paths).toContain(rule.when.field);
			if (rule.kind === 'forbiddenUnless') expect(paths).toContain(rule.unless.field);
		}
	});

	it('fills in only header fields by itself', () => {
		const auto = MESSAGES.flatMap((m) => allFields(m.fields)).filter((f) => f.kind === 'leaf' && f.auto);
		const header = new Set(allFields([...ticketingHeader, ...alaHeader]).map((f) => f.name));

		expect(auto.length).toBeGreaterThan(0);
		for (const field of auto) expect(header).toContain(field.name);
	});
});

function pathsOf(fields: readonly Field[], path = ''): string[] {
	return fields.flatMap((f) => {
		const at = path ? `${path}.${f.name}` : f.name;
		return f.kind === 'group' ? [at, ...pathsOf(f.fields, at)] : [at];
	});
}

function startsWithHeader(definition: MessageDefinition, header: readonly Field[]): boolean {
	return header.every((field, i) => definition.fields[i]?.name === field.name);
}

describe('OPERATIONS', () => {
	it.each(operations)('%s sends a request element of the same name and gets <name>Response back', (name, operation) => {
		expect(operation.request.name).toBe(name);
		expect(operation.request.role).toBe('request');
		expect(operation.response.name).toBe(`${name}Response`);
		expect(operation.response.role).toBe('response');
		expect(MESSAGES).toContain(operation.request);
		expect(MESSAGES).toContain(operation.response);
	});

	it.each(operations)('%s: request and response start with the header its style names', (_, operation) => {
		const header = operation.headerStyle === 'ala' ? alaHeader : ticketingHeader;

		expect(startsWithHeader(operation.request, header)).toBe(true);
		expect(startsWithHeader(operation.response, header)).toBe(true);
	});

	it('uses the ALA header exactly for the two appointment operations', () => {
		expect(OPERATION_NAMES.filter((n) => OPERATIONS[n].headerStyle === 'ala').sort()).toEqual([
			'queryAppointmentAvailability',
			'reserveAppointment',
		]);
	});

	it('covers every request in the catalogue', () => {
		expect(MESSAGES.filter((m) => m.role === 'request').map((m) => m.name).sort()).toEqual([...OPERATION_NAMES].sort());
	});

	it('tells operation names from other strings', () => {
		expect(isOperationName('addFaultReport')).toBe(true);
		expect(isOperationName('notifyFaultReportUpdate')).toBe(false);
		expect(isOperationName('toString')).toBe(false);
	});
});

describe('fault types', () => {
	it('counts Service Outage among the fault types', () => {
		expect(FAULT_TYPES).toContain(SERVICE_OUTAGE);
	});
});

describe('acknowledgement codes', () => {
	it("uses the code of the excerpt's ValidResponse example for a valid acknowledgement", () => {
		const example = readMessage(readFileSync(join(__dirname, '..', 'fixtures', 'excerpt', 'receivedNotifyFaultReportUpdate.xml')));

		expect(example.body.responseCode).toBe(ACK_VALID);
	});
});

describe('ENVIRONMENTS', () => {
	it('serves every CityFibre gateway environment under one of the gateway path prefixes', () => {
		const gateway = Object.values(ENVIRONMENTS).filter((e) => e.baseUrl.startsWith('https://api-gw.cityfibre.com:41223/'));

		expect(gateway.map((e) => new URL(e.baseUrl).pathname).sort()).toEqual([...GATEWAY_PATH_PREFIXES].sort());
	});

	it('keeps the local sandbox on the loopback address', () => {
		expect(new URL(ENVIRONMENTS.sandbox.baseUrl).hostname).toBe('127.0.0.1');
	});
});
