/** What n8n and the editor read from the trigger: its identity, webhook, fields and codex. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IHookFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ALL_EVENT_OPTIONS } from '../../nodes/CityFibre/catalogue';
import { CityFibreTicketingTrigger } from '../../nodes/CityFibre/CityFibreTicketingTrigger.node';

const node = new CityFibreTicketingTrigger();
const { description } = node;
const property = (name: string): INodeProperties => description.properties.find((p) => p.name === name)!;
const option = (name: string): INodeProperties =>
	(property('options').options as INodeProperties[]).find((p) => p.name === name)!;

describe('the trigger node', () => {
	it('keeps the names workflows refer to', () => {
		expect(CityFibreTicketingTrigger.name).toBe('CityFibreTicketingTrigger');
		expect(description).toMatchObject({ name: 'cityFibreTicketingTrigger', displayName: 'CityFibre Ticketing Trigger', version: 1 });
	});

	it('is a trigger without inputs and with one output', () => {
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.outputs).toEqual(['main']);
	});

	it('uses the shared light and dark icons', () => {
		expect(description.icon).toEqual({ light: 'file:cityfibre.svg', dark: 'file:cityfibre.dark.svg' });
	});

	it('listens for POST at the path the user sets, and answers by itself', () => {
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '={{$parameter["path"]}}', isFullPath: true },
		]);
		expect(property('path')).toMatchObject({ type: 'string', default: 'cityfibre-notifications', required: true });
	});

	it('offers every event of the catalogue, plus all events as the default', () => {
		const events = property('events');
		const values = (events.options as INodePropertyOptions[]).map((o) => o.value);
		expect(values).toEqual(['*', ...ALL_EVENT_OPTIONS.map((o) => o.value).sort((a, b) => {
			const name = (v: string) => ALL_EVENT_OPTIONS.find((o) => o.value === v)!.name;
			return name(a).localeCompare(name(b));
		})]);
		expect(events.default).toEqual(['*']);
	});

	it('asks for the CityFibre credential only when the buyer identifier comes from it', () => {
		expect(description.credentials).toEqual([
			{ name: 'cityFibreTicketingApi', required: true, displayOptions: { show: { buyerIdentifierSource: ['credential'] } } },
			{ name: 'httpBasicAuth', required: true, displayOptions: { show: { authentication: ['basicAuth'] } } },
		]);
		expect(property('buyerIdentifier').displayOptions).toEqual({ show: { buyerIdentifierSource: ['parameter'] } });
	});

	it('hides the required header value like a password', () => {
		const header = (option('requiredHeader').options as Array<{ values: INodeProperties[] }>)[0].values;
		expect(header.find((p) => p.name === 'value')?.typeOptions?.password).toBe(true);
	});

	it('is not offered to AI agents as a tool (triggers are not tools)', () => {
		expect(description.usableAsTool).toBeUndefined();
	});

	it('has nothing to register at CityFibre, whose side is configured at onboarding', async () => {
		const hooks = node.webhookMethods.default;
		const context = {} as IHookFunctions;
		await expect(hooks.checkExists.call(context)).resolves.toBe(true);
		await expect(hooks.create.call(context)).resolves.toBe(true);
		await expect(hooks.delete.call(context)).resolves.toBe(true);
	});

	it('has a codex entry under the package\'s node type name', () => {
		const codex = JSON.parse(readFileSync(join(__dirname, '../../nodes/CityFibre/CityFibreTicketingTrigger.node.json'), 'utf8'));
		const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
		expect(codex.node).toBe(`${pkg.name}.${description.name}`);
		expect(codex.resources.primaryDocumentation[0].url).toBe(description.documentationUrl);
	});
});
