import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CityFibreTicketing } from '../../nodes/CityFibre/CityFibreTicketing.node';
import { everyFieldParameters } from '../support/executeContext';

const nodeDir = join(__dirname, '../../nodes/CityFibre');
const nodeType = new CityFibreTicketing();
const { description } = nodeType;

function operations(): Array<{ resource: string; option: INodePropertyOptions }> {
	return description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => (p.options as INodePropertyOptions[]).map((option) => ({ resource: (p.displayOptions!.show!.resource as string[])[0], option })));
}

function leaves(properties: readonly INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => {
		if (p.type === 'collection') return leaves(p.options as INodeProperties[]);
		if (p.type === 'fixedCollection') return (p.options as Array<{ values: INodeProperties[] }>).flatMap((o) => leaves(o.values));
		return [p];
	});
}

describe('the CityFibre Ticketing node', () => {
	it('is named as n8n loads it: the class after its file, the node type cityFibreTicketing', () => {
		expect(CityFibreTicketing.name).toBe('CityFibreTicketing');
		expect(description.name).toBe('cityFibreTicketing');
		expect(description.version).toBe(1);
	});

	it('shows the operation and resource as its subtitle', () => {
		expect(description.subtitle).toBe('={{ $parameter["operation"] + ": " + $parameter["resource"] }}');
	});

	it('can be used as a tool by an AI agent', () => {
		expect(description.usableAsTool).toBe(true);
	});

	it('has a light and a dark icon, both present as files', () => {
		expect(description.icon).toEqual({ light: 'file:cityfibre.svg', dark: 'file:cityfibre.dark.svg' });
		for (const file of ['cityfibre.svg', 'cityfibre.dark.svg']) {
			expect(readFileSync(join(nodeDir, file), 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 64 64"/);
		}
	});

	it("tests its credential with the transport's connection test", () => {
		const [credential] = description.credentials!;
		expect(credential).toMatchObject({ name: 'cityFibreTicketingApi', required: true });
		const tests = nodeType.methods?.credentialTest as Record<string, unknown>;
		expect(typeof tests[credential.testedBy as string]).toBe('function');
	});

	it('has a codex file with its documentation links', () => {
		const codex = JSON.parse(readFileSync(join(nodeDir, 'CityFibreTicketing.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-cityfibre.cityFibreTicketing');
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		expect(codex.resources.credentialDocumentation[0].url).toMatch(/^https:\/\//);
	});

	it('is listed in package.json for n8n to load', () => {
		const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
		expect(pkg.n8n.nodes).toContain('dist/nodes/CityFibre/CityFibreTicketing.node.js');
		expect(existsSync(join(nodeDir, 'CityFibreTicketing.node.ts'))).toBe(true);
	});

	it('offers the eight Buyer operations, each described for a person and for a model', () => {
		const offered = operations().map(({ resource, option }) => `${resource}/${option.value}`);
		expect(offered.sort()).toEqual([
			'appointment/queryAvailability',
			'appointment/reserve',
			'faultReport/acceptResolution',
			'faultReport/amend',
			'faultReport/raise',
			'faultReport/rejectResolution',
			'faultReport/requestUpdate',
			'serviceDiagnostics/run',
		]);
		for (const { option } of operations()) {
			expect(option.description).toEqual(expect.any(String));
			expect(option.action).toMatch(/^[A-Z][a-z]/);
		}
	});

	it('describes every field', () => {
		const undescribed = leaves(description.properties).filter((p) => !p.description && !['resource', 'operation'].includes(p.name));
		expect(undescribed.map((p) => p.name)).toEqual([]);
	});

	it('gives a field the same type in every operation that has it, so a value survives switching operations', () => {
		const types = new Map<string, Set<string>>();
		for (const p of description.properties) types.set(p.name, (types.get(p.name) ?? new Set()).add(p.type));
		const mixed = [...types].filter(([, set]) => set.size > 1).map(([name]) => name);
		expect(mixed).toEqual([]);
	});
});

describe("n8n's own parameter checks", () => {
	const node = (parameters: Record<string, unknown>): INode => ({
		id: 'n',
		name: 'CityFibre Ticketing',
		type: 'n8n-nodes-cityfibre.cityFibreTicketing',
		typeVersion: 1,
		position: [0, 0],
		parameters: NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, null, description) ?? {},
	});

	it('find nothing missing in a filled-in Raise', () => {
		const filled = node(everyFieldParameters('faultReport', 'raise'));
		expect(NodeHelpers.getNodeParametersIssues(description.properties, filled, description)).toBeNull();
	});

	it('name the required fields of an empty Raise, and not the generated reference', () => {
		const empty = node({ resource: 'faultReport', operation: 'raise' });
		const issues = NodeHelpers.getNodeParametersIssues(description.properties, empty, description);
		expect(Object.keys(issues?.parameters ?? {}).sort()).toEqual(['description', 'reportDateTime', 'serviceAffected']);
	});
});
