/**
 * n8n's real execution engine, in-process: `WorkflowExecute` from n8n-core runs a workflow built
 * from our node types, the way n8n's own NodeTestHarness does it, without a server. Parameters
 * are real n8n parameters (expressions such as `={{ $json.buyerFaultReference }}` are evaluated
 * by n8n), error outputs are routed by the engine, and the credential reaches the node through a
 * credentials helper that decrypts nothing but applies the credential type as n8n does (defaults
 * filled, hidden fields dropped, `authenticate` honoured).
 *
 * n8n-core reads its settings folder when first used: N8N_USER_FOLDER points at a temporary
 * folder before n8n-core is loaded, so no test writes to ~/.n8n.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow, createDeferredPromise } from 'n8n-workflow';

import { CityFibreTicketingApi } from '../../credentials/CityFibreTicketingApi.credentials';
import { CityFibreTicketing } from '../../nodes/CityFibre/CityFibreTicketing.node';
import { CREDENTIAL_ID, applyCredentialDefaults } from './executeContext';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'cityfibre-n8n-'));

export const PACKAGE = 'n8n-nodes-cityfibre';
export const TICKETING_NODE_TYPE = `${PACKAGE}.cityFibreTicketing`;
export const ITEMS_NODE_TYPE = 'test.items';
export const PASS_THROUGH_NODE_TYPE = 'test.passThrough';

/** A start node: emits the items of its `items` parameter (JSON), like a Manual Trigger followed by a Code node. */
class ItemsNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits the items of its parameter',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

/**
 * Test steps a Pass Through node can run on its items, by name in its `step` parameter: what a
 * real workflow would get from elsewhere (a notification, a human) between two CityFibre calls.
 */
const steps = new Map<string, (items: INodeExecutionData[]) => Promise<INodeExecutionData[]>>();

export function registerStep(name: string, step: (items: INodeExecutionData[]) => Promise<INodeExecutionData[]>): void {
	steps.set(name, step);
}

/** Passes its input on (through its step, if it names one): a place for an error output to arrive. */
class PassThroughNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Pass Through',
		name: 'passThrough',
		group: ['transform'],
		version: 1,
		description: 'Passes its input on',
		defaults: { name: 'Pass Through' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Step', name: 'step', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const step = steps.get(this.getNodeParameter('step', 0) as string);
		return [step ? await step(items) : items];
	}
}

class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {
		[TICKETING_NODE_TYPE]: new CityFibreTicketing(),
		[ITEMS_NODE_TYPE]: new ItemsNode(),
		[PASS_THROUGH_NODE_TYPE]: new PassThroughNode(),
	};

	getByName(type: string): INodeType | IVersionedNodeType {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown node type ${type}`);
		return found;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

const CREDENTIAL_TYPES: Record<string, ICredentialType> = { cityFibreTicketingApi: new CityFibreTicketingApi() };

/** Hands the node its credential as n8n's helper would: stored data, with the credential type's defaults. */
class TestCredentialsHelper extends ICredentialsHelper {
	/** Which credential IDs were asked for, by type: proves the node fetched its credential through n8n. */
	readonly requested: string[] = [];

	constructor(private readonly stored: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const authenticate = CREDENTIAL_TYPES[typeName]?.authenticate;
		return typeof authenticate === 'function' ? await authenticate(credentials, requestOptions) : requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('the engine tests only decrypt credentials');
	}

	async getDecrypted(_additionalData: IWorkflowExecuteAdditionalData, nodeCredentials: { id: string | null }, type: string): Promise<ICredentialDataDecryptedObject> {
		this.requested.push(`${type}:${nodeCredentials.id}`);
		const data = this.stored[type];
		if (!data) throw new Error(`No stored credential of type ${type}`);
		return applyCredentialDefaults(data);
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return CREDENTIAL_TYPES[type]?.properties ?? [];
	}
}

/**
 * Stops the timers n8n-core's services start when first used (the SSH tunnel pool's clean-up, the
 * cron log), which n8n itself stops at shutdown: without this, jest never exits. Call in afterAll.
 */
export async function stopEngineServices(): Promise<void> {
	const { Container } = await import('@n8n/di');
	const { SSHClientsManager } = await import('n8n-core/dist/execution-engine/ssh-clients-manager');
	const { ScheduledTaskManager } = await import('n8n-core/dist/execution-engine/scheduled-task-manager');
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
	if (Container.has(ScheduledTaskManager)) Container.get(ScheduledTaskManager).deregisterAllCrons();
}

export interface WorkflowRun {
	run: IRun;
	credentialsRequested: string[];
	/** Items a node put on one of its outputs (0 = main, 1 = error output when enabled). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
}

export interface RunWorkflowOptions {
	nodes: INode[];
	connections: IConnections;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	executionId?: string;
	timezone?: string;
}

/** A CityFibre Ticketing node for a workflow, with the stored credential attached. */
export function ticketingNode(name: string, parameters: INode['parameters'], extra: Partial<INode> = {}): INode {
	return {
		id: `node-${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: TICKETING_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { cityFibreTicketingApi: { id: CREDENTIAL_ID, name: 'CityFibre sandbox' } },
		...extra,
	};
}

export function itemsNode(name: string, items: IDataObject[]): INode {
	return { id: 'node-items', name, type: ITEMS_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: { items: JSON.stringify(items) } };
}

export function passThroughNode(name: string, step?: string): INode {
	return { id: `node-${name.replace(/\W+/g, '-').toLowerCase()}`, name, type: PASS_THROUGH_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: step ? { step } : {} };
}

/** `a → b → c` on the main outputs; `[from, outputIndex, to]` for others (the error output is 1). */
export function connect(...links: Array<[string, number, string]>): IConnections {
	const connections: IConnections = {};
	for (const [from, outputIndex, to] of links) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= outputIndex) main.push([]);
		main[outputIndex]!.push({ node: to, type: 'main', index: 0 });
	}
	return connections;
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
	const { ExecutionLifecycleHooks, WorkflowExecute } = await import('n8n-core');
	const executionId = options.executionId ?? `execution-${Date.now()}`;
	const workflowId = 'workflow-under-test';
	const workflowName = 'CityFibre workflow under test';
	const workflow = new Workflow({
		id: workflowId,
		name: workflowName,
		nodes: options.nodes,
		connections: options.connections,
		active: false,
		nodeTypes: new TestNodeTypes(),
		settings: { timezone: options.timezone ?? 'UTC' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: workflowId,
		name: workflowName,
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: options.nodes,
		connections: options.connections,
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));
	const credentialsHelper = new TestCredentialsHelper(options.credentials);
	const unsupported = async () => {
		throw new Error('not offered by the in-process engine harness');
	};
	const additionalData = {
		credentialsHelper,
		hooks,
		executionId,
		executeWorkflow: unsupported,
		getRunExecutionData: async () => undefined,
		startRunnerTask: unsupported,
		logAiEvent: () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;

	// The first node starts the run (the engine's own start-node search only knows n8n's trigger types).
	const start = workflow.getNode(options.nodes[0].name);
	if (!start) throw new Error('the workflow has no nodes');
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const run = await finished.promise;
	return {
		run,
		credentialsRequested: credentialsHelper.requested,
		output(nodeName, outputIndex = 0) {
			const tasks = run.data.resultData.runData[nodeName];
			if (!tasks) throw new Error(`${nodeName} did not run${run.data.resultData.error ? `: ${run.data.resultData.error.message}` : ''}`);
			return tasks[tasks.length - 1].data?.main[outputIndex] ?? [];
		},
	};
}
