/**
 * The findings of a diagnostics run as one line of text, ready for the `triageFindings` of a
 * following Raise (reference §8: "feed the outcome into the ticket as triageComplete=true and a
 * text summary in triageFindings"). Labels come from the catalogue's response definition, so the
 * summary names each result the way the editor does.
 */
import type { Field } from '../../catalogue';
import { OPERATIONS } from '../../catalogue';
import type { JsonObject, JsonValue } from '../../codec';
import { textOf } from '../../transport';

const response = OPERATIONS.requestServiceDiagnostics.response;

function isObject(value: JsonValue | undefined): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "Service Down (Last Event Time: 2025-06-02T07:29:00Z, Change From Previous: Service Up)" */
function groupText(fields: readonly Field[], value: JsonObject): string {
	const texts = fields
		.map((f) => ({ label: f.displayName, text: textOf(value[f.name]) }))
		.filter((t) => t.text);
	const [headline, ...rest] = texts;
	if (!headline) return '';
	const details = rest.map((t) => `${t.label}: ${t.text}`).join(', ');
	return details ? `${headline.text} (${details})` : headline.text;
}

function partText(field: Field, value: JsonValue): string {
	if (field.kind === 'group' && isObject(value)) return groupText(field.fields, value);
	if (field.kind === 'list' && Array.isArray(value)) {
		return value
			.map((item) => (isObject(item) ? field.itemFields.map((f) => textOf(item[f.name])).filter(Boolean).join(' ') : textOf(item)))
			.filter(Boolean)
			.join(', ');
	}
	return textOf(value);
}

function sectionText(fields: readonly Field[], body: JsonObject): string[] {
	const known = new Set(fields.map((f) => f.name));
	const parts = fields.flatMap((field) => {
		const value = body[field.name];
		if (value === undefined) return [];
		const text = partText(field, value);
		return text ? [`${field.displayName}: ${text}`] : [];
	});
	// Results the catalogue does not name yet still reach the ticket.
	for (const [name, value] of Object.entries(body)) {
		if (known.has(name) || name.startsWith('#')) continue;
		const text = textOf(value);
		if (text) parts.push(`${name}: ${text}`);
	}
	return parts;
}

/** The diagnostics results of a response body, summarised; every group of the response is a section. */
export function triageFindings(body: JsonObject): string {
	const parts = response.fields.flatMap((field) => {
		const value = body[field.name];
		return field.kind === 'group' && isObject(value) ? sectionText(field.fields, value) : [];
	});
	return parts.length ? parts.join('; ') : 'CityFibre returned no diagnostic results';
}
