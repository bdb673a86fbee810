/**
 * What an item looks like after a successful call. By default a flat JSON that later nodes can
 * map without knowing CityFibre's XML: the response's fields by name (groups flattened, header
 * noise left out), CityFibre's messages as a list of texts, the ticket references, the message
 * ID. On request, the full parsed response and the exchanged XML. Built from the catalogue's
 * response definitions, so a new response field appears without a change here.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Field } from '../catalogue';
import { OPERATIONS, buyerFaultReference, errorMessage, maintainerFaultReference } from '../catalogue';
import type { JsonObject, JsonValue, WritableObject } from '../codec';
import type { CityFibreResult } from '../transport';
import { textOf } from '../transport';

export type OutputFormat = 'simplified' | 'full';

/** Header values worth keeping in a flat output: the rest (versions, sender IDs, times) is noise. */
const KEPT_AUTO = new Set(['messageId', 'correlationId']);

/** Identifiers of the ticket, copied from the request when the response does not repeat them. */
const REFERENCES = [buyerFaultReference.name, maintainerFaultReference.name];

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameCounts(fields: readonly Field[], counts = new Map<string, number>()): Map<string, number> {
	for (const field of fields) {
		if (field.kind === 'leaf' && field.auto && !KEPT_AUTO.has(field.auto)) continue;
		counts.set(field.name, (counts.get(field.name) ?? 0) + 1);
		if (field.kind === 'group') nameCounts(field.fields, counts);
	}
	return counts;
}

/** Every text inside CityFibre's `errorMessage`, whose shape is not documented. */
export function messagesOf(value: JsonValue | undefined): string[] {
	if (value === undefined) return [];
	if (Array.isArray(value)) return value.flatMap(messagesOf);
	if (isObject(value)) {
		const entries = Object.values(value);
		return entries.every((v) => typeof v !== 'object') ? [textOf(value)].filter(Boolean) : entries.flatMap(messagesOf);
	}
	const text = textOf(value);
	return text ? [text] : [];
}

class Flattener {
	readonly out: IDataObject = {};

	constructor(private readonly counts: Map<string, number>) {}

	/**
	 * A name unique in the flat output: the element's own name, or, when it repeats, its group's
	 * name joined to it (`ontStatus` + `lastEventTime` → `ontStatusLastEventTime`; a group named
	 * for its field, `ontStatus` + `status`, keeps the group's name).
	 */
	private key(name: string, parent: string): string {
		if (!parent || (this.counts.get(name) ?? 0) <= 1) return name;
		return parent.toLowerCase().endsWith(name.toLowerCase()) ? parent : `${parent}${capitalise(name)}`;
	}

	fields(fields: readonly Field[], body: JsonObject, parent: string): void {
		const known = new Set<string>();
		for (const field of fields) {
			known.add(field.name);
			const value = body[field.name];
			if (value === undefined || field.name === errorMessage.name) continue;
			if (field.kind === 'leaf' && field.auto && !KEPT_AUTO.has(field.auto)) continue;
			if (field.kind === 'group' && isObject(value)) this.fields(field.fields, value, field.name);
			else this.put(this.key(field.name, parent), value);
		}
		// Elements CityFibre sent that the catalogue does not know yet are kept, not dropped.
		for (const [name, value] of Object.entries(body)) {
			if (!known.has(name) && !name.startsWith('#')) this.put(this.key(name, parent), value);
		}
	}

	private put(key: string, value: JsonValue): void {
		if (!(key in this.out)) this.out[key] = value;
	}
}

/** The flat, mappable output of a successful call. */
export function simplifiedOutput(result: CityFibreResult): IDataObject {
	const definition = OPERATIONS[result.operation].response;
	const { body } = result.response;
	const flattener = new Flattener(nameCounts(definition.fields));
	flattener.fields(definition.fields, body, '');
	const out = flattener.out;
	for (const name of REFERENCES) {
		const sent = result.request[name];
		if (out[name] === undefined && typeof sent === 'string' && sent) out[name] = sent;
	}
	out.messages = messagesOf(body[errorMessage.name]);
	out.messageId ??= result.messageId;
	if (out.correlationId === undefined) {
		const header = result.request.message;
		const sent = isObject(header as JsonValue) ? (header as WritableObject).correlationId : undefined;
		if (typeof sent === 'string') out.correlationId = sent;
	}
	out.operation = result.operation;
	return out;
}

/** The value at a reader path such as `faultDetails.status` or `updates.update[1].status`. */
function valueAtPath(body: JsonObject, path: string): JsonValue | undefined {
	let current: JsonValue | undefined = body;
	for (const step of path.split('.')) {
		const [, name, index] = /^([^[]*)(?:\[(\d+)\])?$/.exec(step) ?? [];
		if (!isObject(current) || name === undefined) return undefined;
		current = current[name];
		if (index !== undefined) current = Array.isArray(current) ? current[Number(index)] : undefined;
	}
	return current;
}

/** The spellings CityFibre used where the reader changed them ("In-Progress" for In Progress), not the ones it kept. */
function changedSpellings(body: JsonObject, originals: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(originals).filter(([path, original]) => valueAtPath(body, path) !== original));
}

/** Everything read, for users who need a field the flat output leaves out. */
export function fullOutput(result: CityFibreResult): IDataObject {
	const { response } = result;
	const originals = changedSpellings(response.body, response.originals);
	return {
		operation: result.operation,
		messageId: result.messageId,
		httpStatus: result.httpStatus,
		attempts: result.attempts,
		responseName: response.name,
		response: response.body,
		...(Object.keys(originals).length ? { originalSpellings: originals } : {}),
		request: result.request as IDataObject,
	};
}

export function outputOf(result: CityFibreResult, format: OutputFormat, includeXml: boolean): IDataObject {
	const json = format === 'full' ? fullOutput(result) : simplifiedOutput(result);
	if (includeXml) {
		json.requestXml = result.requestXml;
		json.responseXml = result.responseXml;
	}
	return json;
}
