/**
 * Writes a catalogue message as a SOAP 1.1 envelope: exactly one body element, fields in the
 * catalogue's order (the XSD is a sequence), empty optional elements left out, values escaped.
 * Keys the catalogue does not know (the node's Extra Fields, or elements CityFibre sent that we
 * echo back) are written after the known ones at their level rather than dropped.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

import type { Field, MessageDefinition } from '../catalogue';
import { SOAP11_NS } from './reader';

export type WritableValue = string | number | boolean | null | undefined | WritableValue[] | WritableObject;
export interface WritableObject {
	[key: string]: WritableValue;
}

function isEmpty(value: WritableValue): boolean {
	if (value === undefined || value === null || value === '') return true;
	if (Array.isArray(value)) return value.every(isEmpty);
	if (typeof value === 'object') return Object.values(value).every(isEmpty);
	return false;
}

function isObject(value: WritableValue): value is WritableObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function qualified(field: Field): string {
	return field.prefix ? `${field.prefix}:${field.name}` : field.name;
}

function writeValue(parent: XMLBuilder, name: string, value: WritableValue, fields?: readonly Field[]): void {
	if (isEmpty(value)) return;
	if (Array.isArray(value)) {
		for (const item of value) writeValue(parent, name, item, fields);
		return;
	}
	const element = parent.ele(name);
	if (isObject(value)) writeFields(element, value, fields ?? []);
	else element.txt(String(value));
}

function writeField(parent: XMLBuilder, field: Field, value: WritableValue): void {
	if (isEmpty(value)) return;
	if (field.kind === 'list') {
		const items = Array.isArray(value) ? value : [value];
		const wrapper = parent.ele(qualified(field));
		for (const item of items) writeValue(wrapper, field.itemName, item, field.itemFields);
		return;
	}
	writeValue(parent, qualified(field), value, field.kind === 'group' ? field.fields : undefined);
}

function writeFields(parent: XMLBuilder, values: WritableObject, fields: readonly Field[]): void {
	const known = new Set<string>();
	for (const field of fields) {
		known.add(field.name);
		writeField(parent, field, values[field.name]);
	}
	for (const [key, value] of Object.entries(values)) {
		if (!known.has(key) && !key.startsWith('#') && !key.startsWith('@')) writeValue(parent, key, value);
	}
}

/** The body element alone, without an envelope (for the sandbox's records and for tests). */
function bodyElement(parent: XMLBuilder, definition: MessageDefinition, values: WritableObject): void {
	const attributes: Record<string, string> = {};
	for (const [prefix, uri] of Object.entries(definition.namespaces ?? {})) attributes[`xmlns:${prefix}`] = uri;
	writeFields(parent.ele(definition.name, attributes), values, definition.fields);
}

export function writeMessage(definition: MessageDefinition, values: WritableObject): string {
	const doc = create({ version: '1.0', encoding: 'UTF-8' });
	const body = doc.ele('soap:Envelope', { 'xmlns:soap': SOAP11_NS }).ele('soap:Body');
	bodyElement(body, definition, values);
	return doc.end({ prettyPrint: false });
}

/** A CityFibre `fault` or SOAP 1.1 Fault body, as the sandbox answers 401/403/500. */
export function writeFault(form: 'soap' | 'cityfibre', code: string, message: string, detail?: string): string {
	const doc = create({ version: '1.0', encoding: 'UTF-8' });
	const body = doc.ele('soap:Envelope', { 'xmlns:soap': SOAP11_NS }).ele('soap:Body');
	const fault = form === 'soap' ? body.ele('soap:Fault') : body.ele('fault');
	fault.ele('faultcode').txt(code);
	fault.ele(form === 'soap' ? 'faultstring' : 'faultmessage').txt(message);
	if (detail) fault.ele('detail').txt(detail);
	return doc.end({ prettyPrint: false });
}
