/**
 * The node's fields, derived from the message catalogue, and the way back from parameter values
 * to a catalogue-shaped message. Nothing here names a CityFibre field: a correction to the
 * catalogue changes the editor, the collected values and the error labels together.
 *
 * Where a field lands in the editor:
 * - a required leaf (inside required groups) is a field of its own on the main panel;
 * - an optional leaf goes under "Additional Fields";
 * - a group is flattened into its parent when its children's names are unique in the message
 *   (so `faultDetails.type` is simply "Fault Type"); otherwise it stays a group: a collection on
 *   the main panel when required ("Reporter Contact Details"), a fixed collection under
 *   "Additional Fields" when optional;
 * - header fields the sender fills in itself (`auto`) are hidden; the ones a user may need to set
 *   (message ID, correlation ID, API version, buyer identifier) are offered under "Options";
 * - a field a rule requires only in one case (the reservation key of a Service Outage) is shown
 *   on the main panel in that case.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AutoValue, CrossFieldRule, Field, GroupField, LeafField, ListField, OperationName } from '../catalogue';
import { OPERATIONS } from '../catalogue';
import type { WritableObject, WritableValue } from '../codec';
import { normaliseDate, normaliseDateTime, normaliseTime } from './dateValues';

/** How one n8n operation presents one catalogue operation. */
export interface OperationUi {
	/** The catalogue operation this n8n operation sends. */
	operation: OperationName;
	/** Values this n8n operation fixes, by path (Accept Resolution fixes `resolveAccepted` to true). */
	fixed?: Readonly<Record<string, string | boolean>>;
	/** Paths this n8n operation does not offer at all. */
	omit?: readonly string[];
	/** Optional paths shown on the main panel, because most users will want them. */
	promote?: readonly string[];
	/** Required paths the node fills in when left empty: shown, but not required. */
	generate?: readonly string[];
	/** Words added to a field's description in this operation: where to map it from. */
	hints?: Readonly<Record<string, string>>;
}

interface BindingBase {
	/** Parameter name inside its place (top-level name, or option name inside a collection). */
	name: string;
	/** Dot path in the message. */
	path: string;
	/** The label a user sees, with where it sits: "Additional Fields › Fault Start Time". */
	label: string;
	required: boolean;
}

export interface LeafBinding extends BindingBase {
	kind: 'leaf';
	field: LeafField;
	/** Shown only while another main field holds a value (a rule's condition). */
	showWhen?: { name: string; equals: string };
	/** Extra words for the description (how it is generated or defaulted). */
	note?: string;
}

export interface GroupBinding extends BindingBase {
	kind: 'group' | 'list';
	field: GroupField | ListField;
	children: Binding[];
}

export type Binding = LeafBinding | GroupBinding;

export interface FieldPlan {
	ui: OperationUi;
	main: Binding[];
	additionalFields: Binding[];
	/** Header overrides under Options, by the kind of automatic value. */
	overrides: Array<LeafBinding & { auto: AutoValue }>;
	/** Every path the plan offers, with its label (for error messages). */
	labels: ReadonlyMap<string, string>;
}

/** Automatic values a user may sensibly set: the rest (sentAt, sellerIdentifier) always come from the node. */
const OVERRIDABLE: Readonly<Partial<Record<AutoValue, string>>> = {
	messageId:
		'Leave empty to let the node generate one. The generated ID is stable for each item within an execution, so a repeat after n8n\'s "Retry On Fail" carries the same ID. A value you set must differ per item (map it from the item).',
	correlationId: 'Leave empty to use the message ID. To tie a reservation to an earlier availability query, map that query\'s correlationId.',
	apiVersion: 'Leave empty to use the API version from the credential',
	buyerIdentifier: 'Leave empty to use the buyer identifier from the credential',
};

/** Option name of the single entry in the fixed collection that holds a group, and of a list's items. */
export const GROUP_ENTRY = 'values';
export const LIST_ENTRY = 'items';

const SEPARATOR = ' › ';

function join(path: string, name: string): string {
	return path ? `${path}.${name}` : name;
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How many times each element name occurs anywhere in the message. */
function nameCounts(fields: readonly Field[], counts = new Map<string, number>()): Map<string, number> {
	for (const field of fields) {
		counts.set(field.name, (counts.get(field.name) ?? 0) + 1);
		if (field.kind === 'group') nameCounts(field.fields, counts);
		if (field.kind === 'list') nameCounts(field.itemFields, counts);
	}
	return counts;
}

class Planner {
	readonly main: Binding[] = [];
	readonly additionalFields: Binding[] = [];
	readonly overrides: Array<LeafBinding & { auto: AutoValue }> = [];
	/** Paths of the groups flattened into their parent: the editor has no field of their own. */
	readonly flattened: string[] = [];
	private readonly counts: Map<string, number>;
	private readonly used = { main: new Set<string>(), additionalFields: new Set<string>() };

	constructor(
		private readonly ui: OperationUi,
		fields: readonly Field[],
	) {
		this.counts = nameCounts(fields);
	}

	private has(list: readonly string[] | undefined, path: string): boolean {
		return list?.includes(path) ?? false;
	}

	/** A name unique in its place: the element name, or its parent's name + its own when taken. */
	private nameFor(place: 'main' | 'additionalFields', field: Field, parentPath: string): string {
		const parent = parentPath.split('.').pop() ?? '';
		const name = this.used[place].has(field.name) && parent ? `${parent}${capitalise(field.name)}` : field.name;
		this.used[place].add(name);
		return name;
	}

	/** A group is flattened when none of its children's names occurs elsewhere in the message. */
	private flattens(group: GroupField): boolean {
		return group.fields.every((f) => this.counts.get(f.name) === 1);
	}

	place(fields: readonly Field[], parentPath: string, parentRequired: boolean): void {
		for (const field of fields) {
			const path = join(parentPath, field.name);
			if (this.ui.fixed && path in this.ui.fixed) continue;
			if (this.has(this.ui.omit, path)) continue;
			const required = field.required && parentRequired;
			if (field.kind === 'leaf') {
				this.placeLeaf(field, path, parentPath, required);
			} else if (field.kind === 'group' && this.flattens(field)) {
				this.flattened.push(path);
				this.place(field.fields, path, required);
			} else {
				const where = required ? 'main' : 'additionalFields';
				const name = this.nameFor(where, field, parentPath);
				const prefix = where === 'main' ? '' : `Additional Fields${SEPARATOR}`;
				this[where].push(this.group(field, name, path, `${prefix}${field.displayName}`, required));
			}
		}
	}

	private placeLeaf(field: LeafField, path: string, parentPath: string, required: boolean): void {
		if (field.auto) {
			const note = OVERRIDABLE[field.auto];
			if (note) {
				this.overrides.push({ kind: 'leaf', field, auto: field.auto, name: field.auto, path, required: false, note, label: `Options${SEPARATOR}${field.displayName}` });
			}
			return;
		}
		const generated = this.has(this.ui.generate, path);
		const onMain = required || generated || this.has(this.ui.promote, path);
		const where = onMain ? 'main' : 'additionalFields';
		const name = this.nameFor(where, field, parentPath);
		const label = onMain ? field.displayName : `Additional Fields${SEPARATOR}${field.displayName}`;
		const notes = [generated ? 'Leave empty to let the node generate one; the generated value is in the output.' : undefined, this.ui.hints?.[path]];
		const note = notes.filter(Boolean).join(' ') || undefined;
		this[where].push({ kind: 'leaf', field, name, path, label, required: required && !generated, note });
	}

	/** A group kept as a group: its children keep their own names inside it. */
	private group(field: GroupField | ListField, name: string, path: string, label: string, required: boolean): GroupBinding {
		const children = (field.kind === 'group' ? field.fields : field.itemFields).map((child): Binding => {
			const childPath = field.kind === 'group' ? join(path, child.name) : `${path}[].${child.name}`;
			const childLabel = `${label}${SEPARATOR}${child.displayName}`;
			if (child.kind === 'leaf') return { kind: 'leaf', field: child, name: child.name, path: childPath, label: childLabel, required: child.required };
			return this.group(child, child.name, childPath, childLabel, child.required);
		});
		return { kind: field.kind, field, name, path, label, required, children };
	}

	/**
	 * A field a rule requires when a main dropdown holds one value is moved to the main panel and
	 * shown for that value (`appointment.appointmentReservationKey` for a Service Outage). A rule
	 * whose condition is fixed by the operation simply makes the field required (Reject Resolution).
	 */
	applyRules(rules: readonly CrossFieldRule[]): void {
		for (const rule of rules) {
			if (rule.kind !== 'requiredWhen') continue;
			const fixed = this.ui.fixed?.[rule.when.field];
			const target = this.findLeaf(rule.field);
			if (!target) continue;
			if (fixed !== undefined) {
				if (String(fixed) === rule.when.equals) this.moveToMain(target, true);
				continue;
			}
			const condition = this.main.find((b): b is LeafBinding => b.kind === 'leaf' && b.path === rule.when.field);
			if (!condition?.field.options) continue;
			// Not marked required: the editor would then also demand it while the condition is an expression.
			const moved = this.moveToMain(target, false);
			moved.showWhen = { name: condition.name, equals: rule.when.equals };
		}
	}

	private findLeaf(path: string): { list: Binding[]; binding: LeafBinding } | undefined {
		for (const list of [this.main, this.additionalFields]) {
			const binding = list.find((b): b is LeafBinding => b.kind === 'leaf' && b.path === path);
			if (binding) return { list, binding };
		}
		return undefined;
	}

	private moveToMain({ list, binding }: { list: Binding[]; binding: LeafBinding }, required: boolean): LeafBinding {
		if (list !== this.main) {
			list.splice(list.indexOf(binding), 1);
			this.used.additionalFields.delete(binding.name);
			const moved: LeafBinding = { ...binding, name: this.nameFor('main', binding.field, binding.path.split('.').slice(0, -1).join('.')), label: binding.field.displayName };
			this.main.push(moved);
			binding = moved;
		}
		binding.required = required;
		return binding;
	}
}

function labelsOf(bindings: readonly Binding[], labels: Map<string, string>): void {
	for (const binding of bindings) {
		labels.set(binding.path, binding.label);
		if (binding.kind !== 'leaf') labelsOf(binding.children, labels);
	}
}

/** "Appointment Date, Appointment Start Time and Appointment End Time" */
function listOf(labels: readonly string[]): string {
	return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}` : (labels[0] ?? '');
}

/**
 * A flattened group has no field of its own, so it is named by the fields it was flattened into:
 * its required ones (what an empty required group lacks), or all of them when none is required.
 */
function flattenedLabel(path: string, bindings: readonly Binding[]): string | undefined {
	const inside = bindings.filter((b) => b.path.startsWith(`${path}.`));
	const required = inside.filter((b) => b.required);
	const named = (required.length ? required : inside).map((b) => b.label);
	return named.length ? listOf(named) : undefined;
}

const plans = new WeakMap<OperationUi, FieldPlan>();

/** Where each field of an operation's request appears in the editor. */
export function fieldPlan(ui: OperationUi): FieldPlan {
	const cached = plans.get(ui);
	if (cached) return cached;
	const definition = OPERATIONS[ui.operation].request;
	const planner = new Planner(ui, definition.fields);
	planner.place(definition.fields, '', true);
	planner.applyRules(definition.rules ?? []);
	const labels = new Map<string, string>();
	labelsOf(planner.main, labels);
	labelsOf(planner.additionalFields, labels);
	labelsOf(planner.overrides, labels);
	for (const path of planner.flattened) {
		const label = flattenedLabel(path, [...planner.main, ...planner.additionalFields]);
		if (label && !labels.has(path)) labels.set(path, label);
	}
	for (const path of Object.keys(ui.fixed ?? {})) labels.set(path, 'Operation');
	const plan: FieldPlan = { ui, main: planner.main, additionalFields: planner.additionalFields, overrides: planner.overrides, labels };
	plans.set(ui, plan);
	return plan;
}

// --- Catalogue → n8n properties ------------------------------------------------------------------

const PLACEHOLDERS: Partial<Record<LeafField['type'], string>> = {
	date: 'YYYY-MM-DD',
	time: 'HH:MM',
	dateTime: '2025-06-02T08:40:00Z',
};

function sentence(text: string): string {
	const trimmed = text.trim();
	return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function describe(field: Field, note?: string): string {
	return note ? `${sentence(field.description)} ${note}` : field.description;
}

function leafProperty(binding: LeafBinding): INodeProperties {
	const { field } = binding;
	const base = {
		displayName: field.displayName,
		name: binding.name,
		description: describe(field, binding.note),
		...(binding.required ? { required: true } : {}),
		...(binding.showWhen ? { displayOptions: { show: { [binding.showWhen.name]: [binding.showWhen.equals] } } } : {}),
	};
	if (field.options?.length) {
		return { ...base, type: 'options', options: field.options.map((value) => ({ name: value, value })), default: field.options[0] };
	}
	if (field.type === 'boolean') return { ...base, type: 'boolean', default: false };
	if (field.type === 'integer') return { ...base, type: 'number', default: 0 };
	const placeholder = field.placeholder ?? PLACEHOLDERS[field.type];
	return {
		...base,
		type: field.type === 'dateTime' ? 'dateTime' : 'string',
		default: '',
		...(placeholder ? { placeholder } : {}),
	};
}

function childProperties(children: readonly Binding[]): INodeProperties[] {
	return children.map((child) => (child.kind === 'leaf' ? leafProperty(child) : nestedGroupProperty(child)));
}

/** A group inside a collection: a fixed collection with one entry (a list: many entries). */
function nestedGroupProperty(binding: GroupBinding): INodeProperties {
	const { field } = binding;
	const isList = binding.kind === 'list';
	return {
		displayName: field.displayName,
		name: binding.name,
		type: 'fixedCollection',
		placeholder: `Add ${field.displayName}`,
		default: {},
		description: field.description,
		...(isList ? { typeOptions: { multipleValues: true } } : {}),
		options: [{ displayName: field.displayName, name: isList ? LIST_ENTRY : GROUP_ENTRY, values: childProperties(binding.children) }],
	};
}

/** A required group on the main panel: a collection of its (optional) children. */
function mainGroupProperty(binding: GroupBinding): INodeProperties {
	if (binding.kind === 'list') return { ...nestedGroupProperty(binding), required: binding.required };
	return {
		displayName: binding.field.displayName,
		name: binding.name,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		required: binding.required,
		description: binding.field.description,
		options: childProperties(binding.children),
	};
}

function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName);
}

/** The main-panel fields of an operation, in the catalogue's order. */
export function mainProperties(ui: OperationUi): INodeProperties[] {
	return fieldPlan(ui).main.map((b) => (b.kind === 'leaf' ? leafProperty(b) : mainGroupProperty(b)));
}

/** "Additional Fields": every optional field, or nothing when the message has none. */
export function additionalFieldsProperties(ui: OperationUi): INodeProperties[] {
	const bindings = fieldPlan(ui).additionalFields;
	if (!bindings.length) return [];
	return [
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: childProperties(bindings).sort(byDisplayName),
		},
	];
}

/** The header overrides offered under "Options". */
export function overrideOptions(ui: OperationUi): INodeProperties[] {
	return fieldPlan(ui).overrides.map((b) => ({ ...leafProperty(b), type: 'string', placeholder: '' }));
}

// --- n8n parameter values → catalogue values ----------------------------------------------------

export interface CollectedValues {
	/** The message as the user described it (automatic header values not yet filled). */
	values: WritableObject;
	/** Overrides of the values the transport fills in by itself. */
	messageId?: string;
	correlationId?: string;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: WritableValue): boolean {
	if (value === undefined || value === null || value === '') return true;
	if (Array.isArray(value)) return value.every(isEmpty);
	if (typeof value === 'object') return Object.values(value).every(isEmpty);
	return false;
}

/** One value as the catalogue expects it; anything it cannot make sense of is left for the validator to name. */
function leafValue(field: LeafField, raw: unknown, timezone: string): WritableValue {
	if (raw === undefined || raw === null) return undefined;
	if (field.type === 'dateTime') return normaliseDateTime(raw, timezone) as WritableValue;
	if (field.type === 'date') return normaliseDate(raw, timezone) as WritableValue;
	if (field.type === 'time' && typeof raw === 'string') return normaliseTime(raw) as WritableValue;
	if (typeof raw === 'string') return raw.trim();
	if (typeof raw === 'number' && field.type !== 'boolean') return String(raw);
	return raw as WritableValue;
}

function groupValue(binding: GroupBinding, raw: unknown, timezone: string): WritableValue {
	if (binding.kind === 'list') {
		const entries = isObject(raw) ? raw[LIST_ENTRY] : raw;
		if (!Array.isArray(entries)) return undefined;
		return entries.map((entry) => childrenValue(binding.children, entry, timezone));
	}
	return childrenValue(binding.children, raw, timezone);
}

function childrenValue(children: readonly Binding[], raw: unknown, timezone: string): WritableObject {
	const out: WritableObject = {};
	if (!isObject(raw)) return out;
	for (const child of children) {
		if (!(child.name in raw)) continue;
		const value = bindingValue(child, raw[child.name], timezone);
		if (!isEmpty(value)) out[child.field.name] = value;
	}
	return out;
}

/** A nested group inside a collection arrives wrapped in its fixed collection's entry. */
function unwrap(binding: GroupBinding, raw: unknown): unknown {
	if (binding.kind === 'group' && isObject(raw) && isObject(raw[GROUP_ENTRY])) return raw[GROUP_ENTRY];
	return raw;
}

function bindingValue(binding: Binding, raw: unknown, timezone: string): WritableValue {
	if (binding.kind === 'leaf') return leafValue(binding.field, raw, timezone);
	return groupValue(binding, unwrap(binding, raw), timezone);
}

/** Puts a value at a dot path, creating the groups on the way. */
export function setPath(values: WritableObject, path: string, value: WritableValue): void {
	const parts = path.split('.');
	let current = values;
	for (const part of parts.slice(0, -1)) {
		const next = current[part];
		if (!isObject(next)) current[part] = {};
		current = current[part] as WritableObject;
	}
	current[parts[parts.length - 1]] = value;
}

/**
 * Reads an item's parameters back into a catalogue-shaped values object: main fields, then
 * Additional Fields, then the fixed values of the operation, then header overrides.
 */
export function collectValues(context: IExecuteFunctions, itemIndex: number, ui: OperationUi): CollectedValues {
	const plan = fieldPlan(ui);
	const timezone = context.getTimezone();
	const values: WritableObject = {};
	const put = (binding: Binding, raw: unknown) => {
		const value = bindingValue(binding, raw, timezone);
		if (!isEmpty(value)) setPath(values, binding.path, value);
	};

	// A field hidden by its condition (the reservation key of another fault type) has no value at all.
	for (const binding of plan.main) put(binding, context.getNodeParameter(binding.name, itemIndex, ''));
	const additional = context.getNodeParameter('additionalFields', itemIndex, {});
	if (isObject(additional)) {
		for (const binding of plan.additionalFields) if (binding.name in additional) put(binding, additional[binding.name]);
	}
	for (const [path, value] of Object.entries(ui.fixed ?? {})) setPath(values, path, value);

	const options = context.getNodeParameter('options', itemIndex, {});
	const collected: CollectedValues = { values };
	if (isObject(options)) {
		for (const binding of plan.overrides) {
			const value = leafValue(binding.field, options[binding.name], timezone);
			if (isEmpty(value)) continue;
			// The transport fills these two itself and derives one from the other, so they travel beside the values.
			if (binding.auto === 'messageId' || binding.auto === 'correlationId') collected[binding.auto] = String(value);
			else setPath(values, binding.path, value);
		}
	}
	return collected;
}

/** The editor label of a message path, e.g. `faultDetails.type` → "Fault Type". */
export function labelOf(ui: OperationUi, path: string): string | undefined {
	const plan = fieldPlan(ui);
	const general = path.replace(/\[\d+\]/g, '[]');
	return plan.labels.get(path) ?? plan.labels.get(general);
}
