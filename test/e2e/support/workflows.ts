/**
 * The workflows the suite deploys: the shipped examples, read from the installed package (so a
 * file missing from the package fails here), and small webhook-started workflows that run one
 * CityFibre operation with values from the request body and answer with what came out — the
 * success output or, with the node's error output, the failed item.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ACTION_NODE, CREDENTIAL_TYPE, PACKAGE_NAME } from './n8n';
import type { WorkflowJson } from './runtime';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface CredentialRef {
	id: string;
	name: string;
}

export const EXAMPLE_FILES = ['handle-notifications.json', 'nightly-chase.json', 'raise-fault-from-form.json'] as const;
export type ExampleFile = (typeof EXAMPLE_FILES)[number];

/** An example as shipped in the package installed in `userFolder`, pointed at `credential`. */
export function shippedExample(userFolder: string, file: ExampleFile, credential: CredentialRef): WorkflowJson {
	const shipped = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'dist', 'examples', file);
	const workflow = JSON.parse(fs.readFileSync(shipped, 'utf8')) as WorkflowJson & { nodes: Json[] };
	const nodes = (workflow.nodes as Json[]).map((node) =>
		node.credentials?.[CREDENTIAL_TYPE] ? { ...node, credentials: { ...node.credentials, [CREDENTIAL_TYPE]: credential } } : node,
	);
	return { ...workflow, nodes };
}

/** The path of a node's webhook in a workflow (trigger `path`, or Form Trigger 2.2's `options.path`). */
export function webhookPathOf(workflow: WorkflowJson, nodeName: string): string {
	const node = (workflow.nodes as Json[]).find((n) => n.name === nodeName);
	const found = node?.parameters?.options?.path ?? node?.parameters?.path;
	if (!found) throw new Error(`no node "${nodeName}" with a path in "${workflow.name}"`);
	return String(found);
}

/**
 * A shipped workflow started by a webhook instead of its trigger node (same name, same
 * connections), answering with its last node's items: runs a scheduled example now.
 */
export function startedByWebhook(workflow: WorkflowJson, triggerName: string, webhookPath: string): WorkflowJson {
	const nodes = (workflow.nodes as Json[]).map((node) =>
		node.name === triggerName
			? {
					id: node.id,
					name: node.name,
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: node.position,
					webhookId: randomUUID(),
					parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
				}
			: node,
	);
	if (!nodes.some((node) => node.name === triggerName && node.type === 'n8n-nodes-base.webhook')) throw new Error(`no node "${triggerName}" in "${workflow.name}"`);
	return { ...workflow, name: `${workflow.name} (started by a webhook)`, nodes };
}

/** Node names in the operation workflows. */
export const OPERATION_NODE = 'CityFibre';
export const SUCCEEDED = 'Succeeded';
export const FAILED = 'Failed';

/**
 * Webhook (POST /webhook/<path>) → one CityFibre operation → "Succeeded" or, through the node's
 * error output, "Failed". The webhook answers with the items of whichever ran last. Parameter
 * values that are strings starting with `=` are n8n expressions, e.g. `={{ $json.body.ref }}`.
 */
export function operationWorkflow(
	name: string,
	webhookPath: string,
	credential: CredentialRef,
	operation: { resource: string; operation: string; parameters: Record<string, unknown> },
): WorkflowJson {
	const node = (nodeName: string, type: string, typeVersion: number, x: number, extra: Json = {}) => ({
		id: randomUUID(),
		name: nodeName,
		type,
		typeVersion,
		position: [x, 0],
		parameters: {},
		...extra,
	});
	return {
		name,
		nodes: [
			node('Webhook', 'n8n-nodes-base.webhook', 2, 0, {
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			}),
			node(OPERATION_NODE, ACTION_NODE, 1, 240, {
				onError: 'continueErrorOutput',
				parameters: { resource: operation.resource, operation: operation.operation, ...operation.parameters },
				credentials: { [CREDENTIAL_TYPE]: credential },
			}),
			node(SUCCEEDED, 'n8n-nodes-base.noOp', 1, 480),
			node(FAILED, 'n8n-nodes-base.noOp', 1, 480),
		],
		connections: {
			Webhook: { main: [[{ node: OPERATION_NODE, type: 'main', index: 0 }]] },
			[OPERATION_NODE]: {
				main: [[{ node: SUCCEEDED, type: 'main', index: 0 }], [{ node: FAILED, type: 'main', index: 0 }]],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Raise (addFaultReport) with every value taken from the request body. */
export function raiseWorkflow(name: string, webhookPath: string, credential: CredentialRef): WorkflowJson {
	const body = (key: string) => `={{ $json.body.${key} }}`;
	return operationWorkflow(name, webhookPath, credential, {
		resource: 'faultReport',
		operation: 'raise',
		parameters: {
			reportDateTime: '={{ $now.toISO() }}',
			reporterContactDetails: { name: 'Nia NOC', email: 'noc@isp.example', phone: '02070000000' },
			endUserContactDetails: { name: 'Ann User', phone: '07700900001' },
			serviceAffected: body('serviceAffected'),
			buyerFaultReference: body('buyerFaultReference'),
			description: body('description'),
			type: 'Impaired Service',
			options: {},
		},
	});
}

/** Request Update (requestFaultReportUpdate) for the references in the request body. */
export function requestUpdateWorkflow(name: string, webhookPath: string, credential: CredentialRef): WorkflowJson {
	return operationWorkflow(name, webhookPath, credential, {
		resource: 'faultReport',
		operation: 'requestUpdate',
		parameters: {
			buyerFaultReference: '={{ $json.body.buyerFaultReference }}',
			maintainerFaultReference: '={{ $json.body.maintainerFaultReference }}',
			options: {},
		},
	});
}
