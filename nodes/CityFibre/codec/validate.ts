/**
 * Checks an outbound message against the catalogue before anything is sent. Strict on what we
 * send (the reader is lenient on what we receive). Every issue names its field path.
 */
import type { CrossFieldRule, Field, LeafField, MessageDefinition } from '../catalogue';
import type { ValidationIssue } from './errors';
import { MessageValidationError } from './errors';
import type { WritableObject, WritableValue } from './writer';
import { xmlCharacterProblem } from './writer';

function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** A real calendar day: no month 13, no 30 February. */
function isCalendarDate(year: string, month: string, day: string): boolean {
	const m = Number(month);
	const d = Number(day);
	const days = [31, isLeapYear(Number(year)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
	return days !== undefined && d >= 1 && d <= days;
}

/** A real time of day: hours 00-23, minutes and seconds 00-59. */
function isClockTime(hours: string, minutes: string, seconds = '00'): boolean {
	return Number(hours) <= 23 && Number(minutes) <= 59 && Number(seconds) <= 59;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

const FORMATS: Partial<Record<LeafField['type'], { test: (text: string) => boolean; hint: string }>> = {
	dateTime: {
		test: (text) => {
			const p = DATE_TIME.exec(text);
			return !!p && isCalendarDate(p[1], p[2], p[3]) && isClockTime(p[4], p[5], p[6]) && isClockTime(p[7] ?? '00', p[8] ?? '00');
		},
		hint: 'an ISO 8601 date-time with a time zone, e.g. 2025-06-02T08:40:00Z',
	},
	date: {
		test: (text) => {
			const p = DATE.exec(text);
			return !!p && isCalendarDate(p[1], p[2], p[3]);
		},
		hint: 'a date as YYYY-MM-DD',
	},
	time: {
		test: (text) => {
			const p = TIME.exec(text);
			return !!p && isClockTime(p[1], p[2], p[3]);
		},
		hint: 'a time as HH:MM',
	},
	integer: { test: (text) => /^-?\d+$/.test(text), hint: 'a whole number' },
	boolean: { test: (text) => /^(true|false)$/.test(text), hint: 'true or false' },
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
	const problem = typeof value === 'string' ? xmlCharacterProblem(text) : undefined;
	if (problem) issues.push({ path, message: problem });
	const format = FORMATS[field.type];
	if (format && !format.test(text)) {
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
