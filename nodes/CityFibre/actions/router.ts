/**
 * One SOAP request per item, in order. A failed item either stops the node with its index
 * stamped on the error, or (Continue On Fail / error output) becomes an item that carries the
 * error, and the batch goes on.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { credentialsFromN8n } from '../transport';
import * as appointment from './appointment/Appointment.resource';
import { errorJson, toNodeError } from './errors';
import * as faultReport from './faultReport/FaultReport.resource';
import type { CityFibreTicketingMap } from './node.type';
import type { ItemContext, OperationModule } from './operation';
import * as serviceDiagnostics from './serviceDiagnostics/ServiceDiagnostics.resource';
import { stableIds } from './stableIds';

export const CREDENTIAL_TYPE = 'cityFibreTicketingApi';

/** Every operation by resource; a resource or operation missing here is a compile error. */
export const RESOURCES: { [R in keyof CityFibreTicketingMap]: { [O in CityFibreTicketingMap[R]]: OperationModule } } = {
	faultReport,
	appointment,
	serviceDiagnostics,
};

function operationModule(resource: string, operation: string): OperationModule | undefined {
	const operations = (RESOURCES as Record<string, Record<string, OperationModule> | undefined>)[resource];
	return operations && Object.prototype.hasOwnProperty.call(operations, operation) ? operations[operation] : undefined;
}

/** n8n's cancel signal, where this n8n version offers it. */
function cancelSignal(context: IExecuteFunctions): AbortSignal | undefined {
	return typeof context.getExecutionCancelSignal === 'function' ? context.getExecutionCancelSignal() : undefined;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = operationModule(resource, operation);
	if (!module) throw new NodeOperationError(node, `The operation "${operation}" of "${resource}" is not supported`);

	const data = await this.getCredentials(CREDENTIAL_TYPE);
	const context: ItemContext = {
		credentials: credentialsFromN8n(data, node.credentials?.[CREDENTIAL_TYPE]?.id ?? undefined),
		ids: stableIds(this),
		signal: cancelSignal(this),
		messageIds: new Map(),
	};

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const json = await module.execute.call(this, itemIndex, context);
			returnData.push({ json, pairedItem: { item: itemIndex } });
		} catch (caught) {
			const error = toNodeError(node, caught, itemIndex, { labelOf: () => undefined, includeXml: false });
			if (!this.continueOnFail()) throw error;
			returnData.push({ json: errorJson(error), pairedItem: { item: itemIndex } });
		}
	}
	return [returnData];
}
