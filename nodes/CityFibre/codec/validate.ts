/**
 * Checks an outbound message against the catalogue before anything is sent. Strict on what we
 * send (the reader is lenient on what we receive). Every issue names its field path.
 */
import type { CrossFieldRule, Field, LeafField, MessageDefinition } from '../catalogue';
import type { ValidationIssue } from './errors';
import { MessageValidationError } from './errors';
import type { WritableObject, WritableValue } from './writer';

const FORMATS: Partial<Record<LeafField['type'], { pattern: RegExp; hint: string }>> = {
	dateTime: {
		pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/,
		hint: 'an ISO 8601 date-time with a time zone, e.g. 2025-06-02T08:40:00Z',
	},
	date: { pattern: /^\d{4}-\d{2}-\d{2}$/, hint: 'a date as YYYY-MM-DD' },
	time: { pattern: /^\d{2}:\d{2}(:\d{2})?$/, hint: 'a time as HH:MM' },
	integer: { pattern: /^-?\d+$/, hint: 'a whole number' },
	boolean: { pattern: /^(true|false)$/, hint: 'true or false' },
};

function isEmpty(value: WritableValue): boolean {
	if (value === undefined || value === null || value === '') return true;
	if (Array.isArray(value)) return value.every(isEmpty);
	if (typeof value === 'object') return Object.values(value).every(isEmpty);
	return false;
}

function join(path: string, name: string): string {
	return path ? `${path}.${name}` : name;
}

function checkLeaf(field: LeafField, value: WritableValue, path: string, issues: ValidationIssue[]): void {
	if (typeof value === 'object' && value !== null && field.type !== 'any') {
		issues.push({ path, message: 'must be a single value, not a list or object' });
		return;
	}
	const text = String(value);
	const format = FORMATS[field.type];
	if (format && !format.pattern.test(text)) {
		issues.push({ path, message: `must be ${format.hint} (got "${text}")` });
	}
	if (field.options && !field.options.includes(text)) {
		issues.push({ path, message: `must be one of ${field.options.map((o) => `"${o}"`).join(', ')} (got "${text}")` });
	}
}

function checkFields(fields: readonly Field[], values: WritableObject, path: string, issues: ValidationIssue[]): void {
	for (const field of fields) {
		const value = values[field.name];
		const at = join(path, field.name);
		if (isEmpty(value)) {
			if (field.required) issues.push({ path: at, message: 'is required' });
			continue;
		}
		if (field.kind === 'leaf') {
			checkLeaf(field, value, at, issues);
		} else if (field.kind === 'group') {
			if (typeof value !== 'object' || value === null || Array.isArray(value)) {
				issues.push({ path: at, message: 'must be an object with its own fields' });
			} else {
				checkFields(field.fields, value, at, issues);
			}
		} else {
			const items = Array.isArray(value) ? value : [value];
			items.forEach((item, i) => {
				if (typeof item !== 'object' || item === null || Array.isArray(item)) {
					issues.push({ path: `${at}[${i}]`, message: 'must be an object with its own fields' });
				} else {
					checkFields(field.itemFields, item, `${at}[${i}]`, issues);
				}
			});
		}
	}
}

function valueAt(values: WritableObject, path: string): WritableValue {
	let current: WritableValue = values;
	for (const part of path.split('.')) {
		if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
		current = current[part];
	}
	return current;
}

/** One service ID: no list, and no separators that would smuggle in a second one. */
const SINGLE_VALUE = /^[^\s,;|]+$/;

function checkRule(rule: CrossFieldRule, values: WritableObject, issues: ValidationIssue[]): void {
	const value = valueAt(values, rule.field);
	if (rule.kind === 'singleValue') {
		if (!isEmpty(value) && (typeof value === 'object' || !SINGLE_VALUE.test(String(value).trim()))) {
			issues.push({ path: rule.field, message: rule.message });
		}
		return;
	}
	const condition = rule.kind === 'requiredWhen' ? rule.when : rule.unless;
	const holds = String(valueAt(values, condition.field) ?? '') === condition.equals;
	if (rule.kind === 'requiredWhen' && holds && isEmpty(value)) issues.push({ path: rule.field, message: rule.message });
	if (rule.kind === 'forbiddenUnless' && !holds && !isEmpty(value)) issues.push({ path: rule.field, message: rule.message });
}

/** Every way `values` breaks the catalogue's definition of the message; empty when it is valid. */
export function validationIssues(definition: MessageDefinition, values: WritableObject): ValidationIssue[] {
	const issues: ValidationIssue[] = [];
	checkFields(definition.fields, values, '', issues);
	for (const rule of definition.rules ?? []) checkRule(rule, values, issues);
	return issues;
}

/** Throws a `MessageValidationError` naming every broken field. */
export function assertValid(definition: MessageDefinition, values: WritableObject): void {
	const issues = validationIssues(definition, values);
	if (issues.length) throw new MessageValidationError(definition.name, issues);
}
