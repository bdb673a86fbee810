/**
 * Writes a catalogue message as a SOAP 1.1 envelope: exactly one body element, fields in the
 * catalogue's order (the XSD is a sequence), empty optional elements left out, values escaped.
 * Keys the catalogue does not know (the node's Extra Fields, or elements CityFibre sent that we
 * echo back) are written after the known ones at their level rather than dropped.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

import type { Field, MessageDefinition } from '../catalogue';
import { MessageValidationError } from './errors';
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

/**
 * Characters XML 1.0 cannot carry at all, not even escaped: C0 controls other than tab, LF and CR,
 * U+FFFE/U+FFFF and unpaired surrogates. Written raw they make the whole message unreadable.
 */
const NOT_XML_CHARACTER =
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be written as XML character data, or undefined when it can. */
export function xmlCharacterProblem(text: string): string | undefined {
	const found = NOT_XML_CHARACTER.exec(text);
	if (!found) return undefined;
	const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
	return `contains a character XML cannot carry (U+${code} at position ${found.index + 1})`;
}

/** An XML element name, optionally with a prefix (`cfh:foo`). */
const ELEMENT_NAME = /^(?:([\p{L}_][\p{L}\p{N}._-]*):)?[\p{L}_][\p{L}\p{N}._-]*$/u;

/** Writes one message, remembering where it is so that a value it cannot write is named by its path. */
class BodyWriter {
	constructor(private readonly definition: MessageDefinition) {}

	private refuse(path: string, message: string): never {
		throw new MessageValidationError(this.definition.name, [{ path, message }]);
	}

	/** Keys outside the catalogue become element names, so they must be valid ones, with a declared prefix. */
	private checkName(name: string, path: string): void {
		const match = ELEMENT_NAME.exec(name);
		if (!match) this.refuse(path, `"${name}" cannot be an XML element name`);
		const prefix = match[1];
		if (prefix !== undefined && !(prefix in (this.definition.namespaces ?? {}))) {
			this.refuse(path, `the prefix "${prefix}" is not declared on ${this.definition.name}`);
		}
	}

	private value(parent: XMLBuilder, name: string, value: WritableValue, path: string, fields?: readonly Field[]): void {
		if (isEmpty(value)) return;
		if (Array.isArray(value)) {
			value.forEach((item, i) => this.value(parent, name, item, `${path}[${i}]`, fields));
			return;
		}
		const element = parent.ele(name);
		if (isObject(value)) {
			this.fields(element, value, fields ?? [], path);
			return;
		}
		const text = String(value);
		const problem = xmlCharacterProblem(text);
		if (problem) this.refuse(path, problem);
		element.txt(text);
	}

	private field(parent: XMLBuilder, field: Field, value: WritableValue, path: string): void {
		if (isEmpty(value)) return;
		if (field.kind === 'list') {
			const items = Array.isArray(value) ? value : [value];
			const wrapper = parent.ele(qualified(field));
			items.forEach((item, i) => this.value(wrapper, field.itemName, item, `${path}[${i}]`, field.itemFields));
			return;
		}
		this.value(parent, qualified(field), value, path, field.kind === 'group' ? field.fields : undefined);
	}

	fields(parent: XMLBuilder, values: WritableObject, fields: readonly Field[], path: string): void {
		const at = (name: string) => (path ? `${path}.${name}` : name);
		const known = new Set<string>();
		for (const field of fields) {
			known.add(field.name);
			this.field(parent, field, values[field.name], at(field.name));
		}
		for (const [key, value] of Object.entries(values)) {
			if (known.has(key) || key.startsWith('#') || key.startsWith('@') || isEmpty(value)) continue;
			this.checkName(key, at(key));
			this.value(parent, key, value, at(key));
		}
	}
}

/** The body element alone, without an envelope (for the sandbox's records and for tests). */
function bodyElement(parent: XMLBuilder, definition: MessageDefinition, values: WritableObject): void {
	const attributes: Record<string, string> = {};
	for (const [prefix, uri] of Object.entries(definition.namespaces ?? {})) attributes[`xmlns:${prefix}`] = uri;
	new BodyWriter(definition).fields(parent.ele(definition.name, attributes), values, definition.fields, '');
}

/**
 * Throws `MessageValidationError` naming the path when a value holds a character XML cannot carry
 * or an extra key cannot be an element name; run `assertValid` first for the catalogue's rules.
 */
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
