import type { INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import type { Field } from '../../nodes/CityFibre/catalogue';
import { FAULT_TYPES, OPERATIONS, serviceAffected } from '../../nodes/CityFibre/catalogue';
import { fillAutoValues, validationIssues } from '../../nodes/CityFibre/codec';
import type { WritableObject } from '../../nodes/CityFibre/codec';
import { collectValues, fieldPlan, labelOf } from '../../nodes/CityFibre/actions/catalogueFields';
import { RESOURCES } from '../../nodes/CityFibre/actions/router';
import type { OperationModule } from '../../nodes/CityFibre/actions/operation';
import { CityFibreTicketing } from '../../nodes/CityFibre/CityFibreTicketing.node';
import { everyFieldParameters, executeContext, operationProperties } from '../support/executeContext';

const MODULES = Object.entries(RESOURCES).flatMap(([resource, operations]) =>
	Object.entries(operations as Record<string, OperationModule>)
		.filter(([, module]) => 'ui' in module)
		.map(([operation, module]) => ({ resource, operation, module })),
);
const description = new CityFibreTicketing().description;

function property(resource: string, operation: string, name: string): INodeProperties {
	const found = operationProperties(resource, operation).find((p) => p.name === name);
	if (!found) throw new Error(`${resource}/${operation} has no field ${name}`);
	return found;
}

function leafPaths(fields: readonly Field[], path = '', required = true): Array<{ path: string; required: boolean; auto: boolean }> {
	return fields.flatMap((field) => {
		const at = path ? `${path}.${field.name}` : field.name;
		const isRequired = required && field.required;
		if (field.kind === 'leaf') return [{ path: at, required: isRequired, auto: !!field.auto }];
		if (field.kind === 'group') return leafPaths(field.fields, at, isRequired);
		return [];
	});
}

function valueAt(values: WritableObject, path: string): unknown {
	return path.split('.').reduce<unknown>((v, part) => (v && typeof v === 'object' ? (v as WritableObject)[part] : undefined), values);
}

describe('fields derived from the catalogue', () => {
	it.each(MODULES)('$resource/$operation shows every required catalogue field as required, or generates it', ({ module }) => {
		const plan = fieldPlan(module.ui);
		const definition = OPERATIONS[module.ui.operation].request;
		for (const leaf of leafPaths(definition.fields).filter((l) => l.required && !l.auto && !(l.path in (module.ui.fixed ?? {})))) {
			const label = plan.labels.get(leaf.path);
			expect(label).toBeDefined();
			expect(label).not.toMatch(/^Additional Fields/);
			const onMain = plan.main.find((b) => b.path === leaf.path || leaf.path.startsWith(`${b.path}.`));
			expect(onMain).toBeDefined();
			expect(onMain!.required || module.ui.generate?.includes(leaf.path)).toBe(true);
		}
	});

	it.each(MODULES)('$resource/$operation offers every optional catalogue field, under Additional Fields unless promoted or inside a required group', ({ module }) => {
		const plan = fieldPlan(module.ui);
		const definition = OPERATIONS[module.ui.operation].request;
		const moved = new Set((definition.rules ?? []).map((r) => r.field));
		for (const leaf of leafPaths(definition.fields).filter((l) => !l.required && !l.auto)) {
			if (module.ui.omit?.includes(leaf.path)) continue;
			const label = plan.labels.get(leaf.path);
			expect(label).toBeDefined();
			const promoted = module.ui.promote?.includes(leaf.path) || moved.has(leaf.path) || leaf.path in (module.ui.fixed ?? {});
			const inMainGroup = plan.main.some((b) => b.kind !== 'leaf' && leaf.path.startsWith(`${b.path}.`));
			if (!promoted && !inMainGroup) expect(label).toMatch(/^Additional Fields › /);
		}
	});

	it('turns an enumeration into a dropdown with exactly the catalogue values', () => {
		const faultType = property('faultReport', 'raise', 'type');
		expect(faultType.type).toBe('options');
		expect(faultType.options).toEqual(FAULT_TYPES.map((value) => ({ name: value, value })));
	});

	it("takes each field's label and description from the catalogue", () => {
		const service = property('faultReport', 'raise', serviceAffected.name);
		expect(service.displayName).toBe(serviceAffected.displayName);
		expect(service.description).toBe(serviceAffected.description);
	});

	it('flattens fault details onto the main panel and keeps contact details as a group', () => {
		expect(property('faultReport', 'raise', 'description').required).toBe(true);
		const reporter = property('faultReport', 'raise', 'reporterContactDetails');
		expect(reporter.type).toBe('collection');
		expect((reporter.options as INodeProperties[]).map((o) => o.name)).toEqual(['phone', 'email', 'name']);
		const additional = property('faultReport', 'raise', 'additionalFields');
		const site = (additional.options as INodeProperties[]).find((o) => o.name === 'siteAccessContactDetails');
		expect(site?.type).toBe('fixedCollection');
	});

	it('hides the automatic header and offers message ID, API version and buyer identifier under Options', () => {
		const names = (property('faultReport', 'raise', 'options').options as INodeProperties[]).map((o) => o.name);
		expect(names).toEqual(expect.arrayContaining(['messageId', 'apiVersion', 'buyerIdentifier']));
		expect(names).not.toContain('sentAt');
		const main = operationProperties('faultReport', 'raise').map((p) => p.name);
		expect(main).not.toEqual(expect.arrayContaining(['messageId']));
	});

	it('offers the correlation ID, never the seller identifier, on the appointment operations', () => {
		const names = (property('appointment', 'reserve', 'options').options as INodeProperties[]).map((o) => o.name);
		expect(names).toContain('correlationId');
		expect(names).not.toContain('sellerIdentifier');
	});

	it('shows the appointment reservation key only for a Service Outage', () => {
		const shown = (type: string) =>
			NodeHelpers.getNodeParameters(description.properties, { resource: 'faultReport', operation: 'raise', type }, true, false, null, description) ?? {};
		expect(shown('Service Outage')).toHaveProperty('appointmentReservationKey');
		expect(shown('Impaired Service')).not.toHaveProperty('appointmentReservationKey');
	});

	it('requires a reason to reject a resolution, and offers none to accept one', () => {
		expect(property('faultReport', 'rejectResolution', 'rejectedReason').required).toBe(true);
		expect(operationProperties('faultReport', 'acceptResolution').map((p) => p.name)).not.toContain('rejectedReason');
	});

	it('does not require a buyer fault reference on Raise, because one is generated', () => {
		const reference = property('faultReport', 'raise', 'buyerFaultReference');
		expect(reference.required).toBeUndefined();
		expect(reference.description).toMatch(/generate/);
	});

	it('tells a Raise user where to map the triage findings and the reservation key from', () => {
		const additional = property('faultReport', 'raise', 'additionalFields').options as INodeProperties[];
		expect(additional.find((o) => o.name === 'triageFindings')?.description).toBe(
			'What the earlier Service Diagnostics run found. After Service Diagnostics › Run, map {{ $json.triageFindings }}.',
		);
		expect(property('faultReport', 'raise', 'appointmentReservationKey').description).toMatch(/map \{\{ \$json\.appointmentReservationKey \}\}\.$/);
	});

	it('labels each message path the way the editor shows it', () => {
		const { ui } = RESOURCES.faultReport.raise;
		expect(labelOf(ui, 'faultDetails.type')).toBe('Fault Type');
		expect(labelOf(ui, 'faultDetails.faultStartTime')).toBe('Additional Fields › Fault Start Time');
		expect(labelOf(ui, 'reporterContactDetails.phone')).toBe('Reporter Contact Details › Phone');
		expect(labelOf(ui, 'faultDetails.siteAccessContactDetails.email')).toBe('Additional Fields › Site Access Contact Details › Email');
		expect(labelOf(ui, 'messageId')).toBe('Options › Message ID');
	});

	it('names a group flattened into the panel by the required fields it became', () => {
		expect(labelOf(RESOURCES.appointment.reserve.ui, 'appointmentSlot')).toBe('Appointment Date, Appointment Start Time and Appointment End Time');
		expect(labelOf(RESOURCES.faultReport.raise.ui, 'faultDetails')).toBe('Description and Fault Type');
	});
});

describe('collecting parameter values back into a message', () => {
	it.each(MODULES)('$resource/$operation: filling every field the editor offers fills every catalogue field, validly', ({ resource, operation, module }) => {
		// A Service Outage is the one fault type that allows every field (the reservation key).
		const extra = resource === 'faultReport' && operation === 'raise' ? { type: 'Service Outage' } : {};
		const parameters = everyFieldParameters(resource, operation, extra);
		const { values } = collectValues(executeContext({ parameters }), 0, module.ui);
		const definition = OPERATIONS[module.ui.operation].request;
		for (const leaf of leafPaths(definition.fields).filter((l) => !l.auto && !module.ui.omit?.includes(l.path))) {
			expect([leaf.path, valueAt(values, leaf.path)]).not.toEqual([leaf.path, undefined]);
		}
		const filled = fillAutoValues(definition, values, { buyerIdentifier: 'SPDEV1' });
		expect(validationIssues(definition, filled)).toEqual([]);
	});

	it('builds a Raise message in the catalogue shape, leaving empty optional fields out', () => {
		const parameters = {
			resource: 'faultReport',
			operation: 'raise',
			reportDateTime: '2025-06-02T08:40:00Z',
			reporterContactDetails: { name: 'Alex Reporter', phone: '01632960001', email: '' },
			endUserContactDetails: { name: 'Sam Customer' },
			serviceAffected: ' SVC-1 ',
			buyerFaultReference: 'ISP-FLT-1',
			description: 'No light on the ONT',
			type: 'Impaired Service',
			additionalFields: { triageComplete: true, triageFindings: 'ONT Service Down', faultLocation: '' },
		};
		const { values } = collectValues(executeContext({ parameters }), 0, RESOURCES.faultReport.raise.ui);
		expect(values).toEqual({
			reportDateTime: '2025-06-02T08:40:00Z',
			reporterContactDetails: { phone: '01632960001', name: 'Alex Reporter' },
			endUserContactDetails: { name: 'Sam Customer' },
			serviceAffected: 'SVC-1',
			buyerFaultReference: 'ISP-FLT-1',
			faultDetails: { description: 'No light on the ONT', type: 'Impaired Service', triageComplete: true, triageFindings: 'ONT Service Down' },
		});
	});

	it('unwraps a group inside Additional Fields', () => {
		const parameters = {
			resource: 'faultReport',
			operation: 'amend',
			buyerFaultReference: 'ISP-FLT-1',
			additionalFields: { siteAccessContactDetails: { values: { phone: '07700900123' } } },
		};
		const { values } = collectValues(executeContext({ parameters }), 0, RESOURCES.faultReport.amend.ui);
		expect(values).toEqual({ buyerFaultReference: 'ISP-FLT-1', faultDetails: { siteAccessContactDetails: { phone: '07700900123' } } });
	});

	it('writes the fixed value of Accept and Reject Resolution', () => {
		const parameters = { resource: 'faultReport', operation: 'rejectResolution', buyerFaultReference: 'B-1', rejectedReason: 'Still down' };
		const { values } = collectValues(executeContext({ parameters }), 0, RESOURCES.faultReport.rejectResolution.ui);
		expect(values).toEqual({ buyerFaultReference: 'B-1', rejectedReason: 'Still down', resolveAccepted: false });
	});

	it('reads a date-time without a zone in the workflow time zone', () => {
		const parameters = { ...everyFieldParameters('faultReport', 'raise'), reportDateTime: '2025-06-02T08:40:00' };
		const { values } = collectValues(executeContext({ parameters, timezone: 'Europe/London' }), 0, RESOURCES.faultReport.raise.ui);
		expect(values.reportDateTime).toBe('2025-06-02T08:40:00+01:00');
	});

	it('writes a time typed with a one-digit hour as HH:MM, as a main field and under Additional Fields', () => {
		const reserve = { ...everyFieldParameters('appointment', 'reserve'), appointmentStartTime: '8:00' };
		expect(collectValues(executeContext({ parameters: reserve }), 0, RESOURCES.appointment.reserve.ui).values.appointmentSlot).toMatchObject({ appointmentStartTime: '08:00' });
		const base = everyFieldParameters('faultReport', 'amend');
		const amend = { ...base, additionalFields: { ...(base.additionalFields as object), appointmentStartTime: '8:00', appointmentEndTime: '1:00' } };
		expect(collectValues(executeContext({ parameters: amend }), 0, RESOURCES.faultReport.amend.ui).values.appointment).toMatchObject({
			appointmentStartTime: '08:00',
			appointmentEndTime: '01:00',
		});
	});

	it.each(['25:00', '8:5', '8.00'])('still refuses the time %p, naming the field', (time) => {
		const parameters = { ...everyFieldParameters('appointment', 'reserve'), appointmentStartTime: time };
		const { ui } = RESOURCES.appointment.reserve;
		const definition = OPERATIONS[ui.operation].request;
		const { values } = collectValues(executeContext({ parameters }), 0, ui);
		expect(validationIssues(definition, fillAutoValues(definition, values, { buyerIdentifier: 'SPDEV1' }))).toEqual([
			{ path: 'appointmentSlot.appointmentStartTime', message: `must be a time as HH:MM (got "${time}")` },
		]);
		expect(labelOf(ui, 'appointmentSlot.appointmentStartTime')).toBe('Appointment Start Time');
	});

	it('passes message and correlation ID overrides beside the values, and other overrides inside them', () => {
		const parameters = {
			...everyFieldParameters('appointment', 'reserve'),
			options: { messageId: 'M-1', correlationId: 'C-1', buyerIdentifier: 'OTHERBUYER' },
		};
		const collected = collectValues(executeContext({ parameters }), 0, RESOURCES.appointment.reserve.ui);
		expect(collected.messageId).toBe('M-1');
		expect(collected.correlationId).toBe('C-1');
		expect(collected.values.buyer).toEqual({ buyerIdentifier: 'OTHERBUYER', resellerId: 'resellerId-sample' });
		expect(collected.values.message).toBeUndefined();
	});

	it('evaluates a mapped value per item', () => {
		const parameters = { ...everyFieldParameters('serviceDiagnostics', 'run'), serviceId: (json: { id?: string }) => json.id };
		const context = executeContext({ parameters, items: [{ id: 'SVC-A' }, { id: 'SVC-B' }] });
		const { ui } = RESOURCES.serviceDiagnostics.run;
		expect([collectValues(context, 0, ui).values.serviceId, collectValues(context, 1, ui).values.serviceId]).toEqual(['SVC-A', 'SVC-B']);
	});
});
